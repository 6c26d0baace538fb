#include "event_dispatch.h"

#include <string>

#include "download_watchers.h"
#include "listeners.h"
#include "own_sends.h"
#include "tim_json.h"
#include "unread_filter_watch.h"

namespace timclient {
namespace {

using tim::v1::Event;

// Single-slot callbacks of shape (const char* json, const void* user_data).
template <Slot S, typename MakeJson>
void CallJson(const Listeners& listeners, MakeJson make_json) {
  auto l = listeners.Get<S>();
  if (!l.cb) return;
  const std::string json = make_json();
  l.cb(json.c_str(), l.user_data);
}

// Messages this process sent are left out: the app learnt of each from its
// send callback (see own_sends.h). Checked with or without listeners, so
// the remembered ids are taken either way.
void NewMessages(const Event& event, const Listeners& listeners, OwnSends& own_sends) {
  google::protobuf::RepeatedPtrField<tim::v1::Message> others;
  for (const auto& message : event.new_messages().messages()) {
    if (message.is_from_self() && own_sends.Take(message.msg_id())) continue;
    *others.Add() = message;
  }
  auto all = listeners.RecvNewMsg();
  if (all.empty() || others.empty()) return;
  const std::string json = MessageArrayJson(others);
  for (const auto& l : all) l.cb(json.c_str(), l.user_data);
}

void UploadProgress(const Event& event, const Listeners& listeners) {
  auto l = listeners.Get<Slot::kMsgUploadProgress>();
  if (!l.cb) return;
  const auto& p = event.msg_upload_progress();
  const std::string json = MessageJson(p.message());
  l.cb(json.c_str(), p.index(), static_cast<uint32_t>(p.cur_size()), static_cast<uint32_t>(p.total_size()),
       l.user_data);
}

void ConvEvent(const Event& event, const Listeners& listeners) {
  auto l = listeners.Get<Slot::kConvEvent>();
  if (!l.cb) return;
  const std::string json = ConvEventJson(event.conv_event());
  l.cb(static_cast<TIMConvEvent>(event.conv_event().type()), json.c_str(), l.user_data);
}

// The new total, once the app has asked for it; then the watched filters,
// whose totals may have moved too.
void TotalUnreadChanged(const Event& event, const Listeners& listeners) {
  auto l = listeners.Get<Slot::kConvTotalUnreadChanged>();
  if (l.cb && listeners.ReportsTotalUnread()) l.cb(static_cast<int>(event.total_unread_changed().unread_count()), l.user_data);
  UnreadFilterWatch::Instance().Refresh();
}

void NetworkStatus(const Event& event, const Listeners& listeners) {
  auto l = listeners.Get<Slot::kNetworkStatus>();
  if (!l.cb) return;
  const auto& n = event.network_status();
  l.cb(static_cast<TIMNetworkStatus>(n.status()), n.code(), n.desc().c_str(), l.user_data);
}

template <Slot S>
void NoPayload(const Listeners& listeners) {
  auto l = listeners.Get<S>();
  if (l.cb) l.cb(l.user_data);
}

void Log(const Event& event, const Listeners& listeners) {
  auto l = listeners.Get<Slot::kLog>();
  if (l.cb) l.cb(static_cast<TIMLogLevel>(event.log().level()), event.log().text().c_str(), l.user_data);
}

}  // namespace

void DispatchEvent(const Event& event, const Listeners& listeners, OwnSends& own_sends) {
  switch (event.payload_case()) {
    case Event::kNewMessages:
      return NewMessages(event, listeners, own_sends);
    case Event::kMsgReadReceipts:
      return CallJson<Slot::kMsgReadReceipt>(listeners,
                                             [&] { return ReceiptArrayJson(event.msg_read_receipts().receipts()); });
    case Event::kMsgRevoked:
      return CallJson<Slot::kMsgRevoke>(listeners, [&] { return LocatorArrayJson(event.msg_revoked().locators()); });
    case Event::kMsgUploadProgress:
      return UploadProgress(event, listeners);
    case Event::kGroupTips:
      return CallJson<Slot::kGroupTips>(listeners, [&] { return GroupTipJson(event.group_tips().tip()); });
    case Event::kConvEvent:
      // A mark or delete can move a conversation into or out of a filter.
      ConvEvent(event, listeners);
      return UnreadFilterWatch::Instance().Refresh();
    case Event::kNetworkStatus:
      return NetworkStatus(event, listeners);
    case Event::kKickedOffline:
      return NoPayload<Slot::kKickedOffline>(listeners);
    case Event::kUserSigExpired:
      return NoPayload<Slot::kUserSigExpired>(listeners);
    case Event::kFriendsAdded:
      return CallJson<Slot::kFriendAdded>(listeners, [&] { return UserIdArrayJson(event.friends_added().user_ids()); });
    case Event::kFriendsDeleted:
      return CallJson<Slot::kFriendDeleted>(listeners,
                                            [&] { return UserIdArrayJson(event.friends_deleted().user_ids()); });
    case Event::kFriendProfilesUpdated:
      return CallJson<Slot::kFriendProfileUpdate>(
          listeners, [&] { return FriendProfileUpdateArrayJson(event.friend_profiles_updated().updates()); });
    case Event::kFriendAddRequests:
      return CallJson<Slot::kFriendAddRequest>(
          listeners, [&] { return FriendAddPendencyArrayJson(event.friend_add_requests().pendencies()); });
    case Event::kLog:
      return Log(event, listeners);
    case Event::kMessagesUpdated:
      return CallJson<Slot::kMsgUpdate>(listeners,
                                        [&] { return MessageArrayJson(event.messages_updated().messages()); });
    case Event::kDownloadProgress:
      return DownloadWatchers::Instance().Dispatch(event.download_progress());
    case Event::kTotalUnreadChanged:
      return TotalUnreadChanged(event, listeners);
    case Event::kMessagesDelivered:  // XEP-0184: no TIM callback carries it
    case Event::PAYLOAD_NOT_SET:
      return;
  }
}

}  // namespace timclient
