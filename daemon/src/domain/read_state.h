// Read state (tim-xmpp-mapping.md 4.3): the local read pointer moved by
// TIMMsgReportReaded, TIMConvCleanConversationUnreadMessageCount and
// TIMMsgSendMessageReadReceipts (and by our other devices' markers and
// XEP-0490 read positions, which our own moves publish in turn), and
// the peer's XEP-0333 <displayed/> markers, which become MsgReadReceipts
// events (TIM callback #2). Calls answer once the change is committed.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "domain/done.h"
#include "domain/login_state.h"
#include "events/event_bus.h"
#include "store/message_store.h"
#include "store/read_state_store.h"
#include "tim/v1/read_state.pb.h"
#include "tim/v1/unread_counts.pb.h"
#include "xmpp/chat_markers.h"
#include "xmpp/displayed_sync.h"

namespace timd::domain {

class ReadState {
 public:
  ReadState(store::MessageStore& store, events::EventBus& bus, const LoginState& login);

  // The current stream's marker and displayed-sync modules; null while
  // there is none.
  void set_stream_modules(xmpp::ChatMarkers* markers, xmpp::DisplayedSync* displayed_sync) {
    markers_ = markers;
    displayed_sync_ = displayed_sync;
  }

  void ReportRead(const tim::v1::ReportReadRequest& request, Done<tim::v1::ReportReadResponse> done);
  void SendReceipts(const tim::v1::SendMessageReadReceiptsRequest& request,
                    Done<tim::v1::SendMessageReadReceiptsResponse> done);
  Result<tim::v1::GetMessageReadReceiptsResponse> GetReceipts(const tim::v1::GetMessageReadReceiptsRequest& request);
  void CleanUnread(const tim::v1::CleanUnreadRequest& request, Done<tim::v1::CleanUnreadResponse> done);
  Result<tim::v1::GetTotalUnreadResponse> TotalUnread();
  // TIMMsgMarkAllMessageAsRead: ReportRead of every conversation.
  void MarkAllRead(Done<tim::v1::MarkAllMessageAsReadResponse> done);

  // A marker from the stream: the peer's moves its read pointer (#2 event),
  // one of our other devices' moves ours. Anything else is ignored.
  void OnMarker(const xmpp::ChatMarker& marker);
  // Read positions our other devices published (XEP-0490): each moves our
  // read pointer up to the message it names, when that one is stored here.
  void OnDisplayedPositions(const std::vector<xmpp::DisplayedPosition>& positions);

 private:
  // Where a read pointer goes: a conversation and the seq it moves to.
  struct Target {
    std::string conv_id;  // bare JID
    int64_t up_to_seq = 0;
  };
  static constexpr int64_t kNewest = INT64_MAX;

  Status CheckCallable() const;
  // Moves the local read pointers (one ConvEvent UPDATE for all that moved)
  // and, with `tell_others`, tells each peer (a marker) and our other
  // devices (a displayed-sync position) after the commit.
  void MoveReadPointers(const std::vector<Target>& targets, bool tell_others);
  // Every C2C conversation, to its newest message.
  std::vector<Target> AllConversations();
  void OnPeerMarker(const std::string& conv_id, const std::string& marked_id);
  void PublishConvUpdate(const std::vector<store::ConversationRecord>& convs);
  // `done` learns the outcome once this turn's writes are committed.
  template <typename Response>
  void AnswerAfterCommit(Done<Response> done);

  store::MessageStore& store_;
  store::ReadStateStore reads_;
  events::EventBus& bus_;
  const LoginState& login_;
  xmpp::ChatMarkers* markers_ = nullptr;
  xmpp::DisplayedSync* displayed_sync_ = nullptr;
};

}  // namespace timd::domain
