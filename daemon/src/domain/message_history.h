// History and lookup on the local store (history.proto, TIMMsgGetMsgList,
// TIMMsgFindMessages, TIMMsgFindByMsgLocatorList, TIMMsgDelete,
// TIMMsgListDelete, TIMMsgClearHistoryMessage, TIMMsgSetLocalCustomData).
// Deletion is local: XMPP archives have no client-side delete
// (tim-xmpp-mapping.md 12); store/history_store.h keeps the tombstones that
// stop deleted messages from coming back with the next sync.
#pragma once

#include <string>
#include <vector>

#include "domain/done.h"
#include "domain/login_state.h"
#include "events/event_bus.h"
#include "store/archived_edit_store.h"
#include "store/history_store.h"
#include "tim/v1/messages.pb.h"

namespace timd::domain {

class MessageHistory {
 public:
  MessageHistory(store::MessageStore& store, events::EventBus& bus, const LoginState& login);

  Result<tim::v1::GetMessagesResponse> GetMessages(const tim::v1::GetMessagesRequest& request);
  Result<tim::v1::FindMessagesResponse> FindMessages(const tim::v1::FindMessagesRequest& request);
  Result<tim::v1::FindMessagesByLocatorResponse> FindByLocator(const tim::v1::FindMessagesByLocatorRequest& request);
  void DeleteMessages(const tim::v1::DeleteMessagesRequest& request, Done<tim::v1::DeleteMessagesResponse> done);
  void ClearHistory(const tim::v1::ClearHistoryRequest& request, Done<tim::v1::ClearHistoryResponse> done);
  void SetLocalCustomData(const tim::v1::SetLocalCustomDataRequest& request,
                          Done<tim::v1::SetLocalCustomDataResponse> done);

  // Whether a received message of this conversation at `time_ms` is older
  // than a clear of its history (it is then stored deleted).
  bool ClearedAfter(const std::string& conv_id, int conv_type, int64_t time_ms);

 private:
  // The conversation's bare JID for a C2C conv_id, or why not.
  Result<std::string> C2CPeer(const std::string& conv_id, tim::v1::ConvType conv_type) const;
  // After messages of the conversation were deleted: its last message and
  // unread count follow, and a CONV_EVENT UPDATE carries it.
  void RefreshConversation(const std::string& conv_id, int conv_type);
  template <typename Response>
  void AnswerAfterCommit(Done<Response> done, Response response);
  // The stored, undeleted message of `locator`'s conversation it names.
  std::optional<store::MessageRecord> Locate(const std::string& conv_id, const tim::v1::MessageLocator& locator);

  store::MessageStore& store_;
  store::HistoryStore history_;
  store::ArchivedEditStore archived_edits_;  // dropped with a cleared history
  events::EventBus& bus_;
  const LoginState& login_;
};

}  // namespace timd::domain
