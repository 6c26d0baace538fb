// One-to-one messages: stores what arrives (once, whatever the number of
// copies), sends what apps ask for, keeps conversations current and emits
// NewMessages and ConvEvent events.
#pragma once

#include <uv.h>

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <vector>
#include <string>

#include "domain/done.h"
#include "domain/file_uploads.h"
#include "tim/v1/messages.pb.h"
#include "domain/user_ids.h"
#include "events/event_bus.h"
#include "store/message_store.h"
#include "xmpp/chat.h"

namespace timd::domain {

class Messaging {
 public:
  struct Options {
    uint64_t send_ack_timeout_ms = 30000;
    // Messages left in the outbox by a dead connection or daemon are sent
    // again after reconnect unless they are older than this.
    uint64_t outbox_expiry_ms = 24ull * 3600 * 1000;
    size_t max_body_bytes = 12 * 1024;  // TIM's limit (ERR_SDK_MSG_BODY_SIZE_LIMIT)
  };

  Messaging(uv_loop_t* loop, store::MessageStore& store, events::EventBus& bus, const UserIds& ids,
            Options options);
  ~Messaging();

  void set_own_jid(std::string bare_jid) { own_jid_ = std::move(bare_jid); }
  // Received messages for which `cleared` answers true (older than a clear
  // of their conversation's history) are stored deleted, unannounced.
  void set_cleared_check(std::function<bool(const store::MessageRecord&)> cleared) { cleared_ = std::move(cleared); }
  // Where messages with files still to upload go before they are sent (not
  // owned); without it such messages are refused.
  void set_uploads(FileUploads* uploads) { uploads_ = uploads; }

  void OnIncoming(const xmpp::IncomingChat& chat);

  // `chat` is null while the stream is down: the message is stored and sent
  // after reconnect, unless its deadline passes first.
  void Send(const tim::v1::SendMessageRequest& request, xmpp::ChatManager* chat,
            Done<tim::v1::SendMessageResponse> done);
  // Outbound stanzas up to `handled` reached the server.
  void OnAcked(uint64_t handled);
  // The server or the peer's server refused a message we sent. It ends as
  // SEND_FAIL with the server's reason: a SendMessage call still waiting
  // fails with it; after the ack (the usual order when the peer's server
  // refuses), a MessagesUpdated event carries the message with its new
  // status, and a ConvEvent update follows when it is the conversation's
  // last message.
  void OnBounced(const xmpp::BouncedChat& bounce);
  // The stream ended for good (logout, bad credentials): sends still waiting
  // for an ack fail with `why`.
  void FailPending(const Status& why);
  // A fresh session was bound: stanzas sent on the old one will never be
  // acknowledged, and the new session's acks count other stanzas, so sends
  // waiting for an ack go back to the queue until ResendOutbox.
  void RequeueUnacked();
  // The stream is current (caught up after a fresh bind, or resumed): sends
  // the outbox again, but for what this stream already carries (same ids,
  // so the server's archive and timd peers keep one copy), and fails what
  // has expired.
  void ResendOutbox(xmpp::ChatManager& chat);

  // The files of a message held for upload are up (`uploaded` is its
  // content with their URLs), or failed for good: it is sent now (queued
  // when `chat` is null), or ends as SEND_FAIL with the upload's code.
  void OnUploaded(int64_t rowid, Result<tim::v1::Message> uploaded, xmpp::ChatManager* chat);
  // Some files of a message held for upload are up, others not yet: their
  // URLs are stored (committed with this turn's batch), so that a restart
  // uploads only the rest.
  void OnPartlyUploaded(int64_t rowid, const tim::v1::Message& content);

  // TIMMsgCancelSend (messaging_cancel.cc): an own message still in the
  // outbox (not on the wire) ends as MSG_CANCEL, committed before `done`;
  // its upload stops and a waiting SendMessage call fails with 8021.
  void CancelSend(const tim::v1::CancelSendRequest& request, Done<tim::v1::CancelSendResponse> done);

 private:
  struct PendingSend {
    int64_t rowid;
    uint64_t deadline_ms;
    Done<tim::v1::SendMessageResponse> done;  // empty for a resend after a restart
  };

  // A stored message's conversation changes now; its NewMessages and
  // ConvEvent are published once per loop turn by PublishTurn (a burst of
  // messages costs a few events, not two per message). Returns the
  // message's API form, built in the arena of this turn's NewMessages event.
  // `record` is moved from only when nothing can fail any more.
  const tim::v1::Message& RecordNewMessage(store::MessageRecord&& record, bool counts_unread);
  void PublishTurn();
  void CompleteSend(uint64_t stanza_seq, PendingSend pending, const Status& status);
  // Files of an app's new message: readable, and taken by the server.
  Status AdmitFiles(tim::v1::Message& content) const;
  // A stored message whose files are still to upload waits in uploading_
  // (no ack deadline: a large file takes what it takes) until OnUploaded.
  void HoldForUpload(const store::MessageRecord& record, tim::v1::Message content, PendingSend pending);
  // The stanza of a stored own message: body, timd's payload and its files.
  static xmpp::OutgoingChat OutgoingChatOf(const store::MessageRecord& record);
  // Puts `content` (with its files' URLs) and its fallback body into the
  // row of `record`, and into `record`.
  void StoreUploadedContent(store::MessageRecord& record, const tim::v1::Message& content);
  // An app learns a send's outcome once the row saying so is committed: a
  // caller told "sent" (or "failed") finds it so after a crash, not an
  // outbox sending it again. A lost batch answers UNAVAILABLE instead.
  void AnswerAfterCommit(Done<tim::v1::SendMessageResponse> done, Result<tim::v1::SendMessageResponse> result);
  // A message apps saw as sent (NewMessages, SendMessage's response) failed after all.
  void FailAfterAck(store::MessageRecord record, const Status& why);
  // A send of `rowid` already waiting for the server (queued or on the
  // wire) takes `done` as a further caller; false when there is none.
  bool JoinWaitingSend(int64_t rowid, Done<tim::v1::SendMessageResponse>& done);
  // `more` learns the outcome of `pending` too.
  static void AlsoNotify(PendingSend& pending, Done<tim::v1::SendMessageResponse> more);
  // Completes every send in `sends` whose deadline is at or before `due_by`
  // with `why` (UINT64_MAX: all of them).
  template <typename Key>
  void CompleteDue(std::map<Key, PendingSend>& sends, uint64_t due_by, const Status& why);
  void ArmDeadlineTimer();
  static void OnDeadlineTimer(uv_timer_t* timer);

  store::MessageStore& store_;
  events::EventBus& bus_;
  const UserIds& ids_;
  Options options_;
  std::string own_jid_;
  std::function<bool(const store::MessageRecord&)> cleared_;
  std::map<uint64_t, PendingSend> pending_;  // sent, waiting for the ack; by outbound stanza seq
  std::map<int64_t, PendingSend> queued_;    // accepted while offline; by rowid
  std::map<int64_t, PendingSend> uploading_; // files still uploading; by rowid
  FileUploads* uploads_ = nullptr;

  struct TurnConversation {
    store::ConversationRecord conv;
    bool created = false;
    std::optional<store::MessageRecord> last_msg;
  };
  std::vector<events::ArenaEvent> turn_events_;  // NewMessages, filled in order
  std::map<std::pair<int, std::string>, TurnConversation> turn_convs_;  // by (type, id)
  size_t pre_commit_hook_;
  size_t rollback_hook_;
  uv_timer_t* deadline_timer_;               // heap-owned: closes asynchronously
};

}  // namespace timd::domain
