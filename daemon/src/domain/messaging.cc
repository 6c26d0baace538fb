#include "domain/messaging.h"

#include <spdlog/spdlog.h>

#include <cstdio>
#include <set>
#include <string_view>
#include <type_traits>

#include "common/clock.h"
#include "domain/file_elems.h"
#include "domain/incoming_record.h"
#include "domain/message_codec.h"
#include "domain/message_options.h"
#include "domain/message_payload.h"
#include "domain/outgoing_content.h"
#include "domain/store_status.h"
#include "domain/text_validation.h"

namespace timd::domain {
namespace {

// Why a stored outgoing message cannot go into a stanza; nothing if it can.
std::optional<std::string> UnsendableProblem(const store::MessageRecord& record) {
  if (auto problem = XmlTextProblem(record.body)) return "text, " + *problem;
  if (auto problem = XmlTextProblem(record.msg_id)) return "id, " + *problem;
  return std::nullopt;
}

// An error reply counts only from the address the message went to (the
// recipient, or its server speaking for it), or from our own server.
bool FromRecipient(std::string_view from, const std::string& conv_id) {
  if (from.empty()) return true;
  auto sender = xmpp::Jid::Parse(from);
  if (!sender) return false;
  return sender->Bare() == conv_id ||
         (sender->local.empty() && conv_id.size() > sender->domain.size() && conv_id.ends_with("@" + sender->domain));
}

// The server's refusal as the app sees it. An address that takes no
// messages is TIM's invalid recipient (20003: timd cannot tell whether the
// peer exists, tim-xmpp-mapping.md 4.2); any other refusal is a denied push.
Status BounceStatus(const xmpp::BouncedChat& bounce) {
  static const std::set<std::string_view> kNoSuchRecipient = {
      "service-unavailable", "item-not-found", "remote-server-not-found", "jid-malformed", "gone",
      "recipient-unavailable"};
  static const std::set<std::string_view> kRefused = {
      "forbidden", "not-allowed", "not-authorized", "not-acceptable", "policy-violation",
      "registration-required", "subscription-required", "payment-required"};
  std::string why = "the server refused the message: " + bounce.condition;
  if (!bounce.text.empty()) why += " (" + bounce.text + ")";
  if (kNoSuchRecipient.count(bounce.condition)) return Status(Code::kNotFound, tim_err::kSvrMsgInvalidId, why);
  if (kRefused.count(bounce.condition)) return Status(Code::kPermissionDenied, tim_err::kSvrMsgPushDeny, why);
  return Status(Code::kUnavailable, tim_err::kSvrMsgPushDeny, why);
}

}  // namespace

Messaging::Messaging(uv_loop_t* loop, store::MessageStore& store, events::EventBus& bus,
                     const UserIds& ids, Options options)
    : store_(store), bus_(bus), ids_(ids), options_(options), deadline_timer_(new uv_timer_t) {
  uv_timer_init(loop, deadline_timer_);
  deadline_timer_->data = this;
  pre_commit_hook_ = bus_.AddPreCommitHook([this] { PublishTurn(); });
  // The turn's messages were rolled back with their rows: never announce them.
  rollback_hook_ = bus_.AddRollbackHook([this](const std::string&) {
    turn_events_.clear();
    turn_convs_.clear();
  });
}

Messaging::~Messaging() {
  // Unacknowledged messages stay queued in the store and go out after restart.
  const Status stopping(Code::kUnavailable, tim_err::kNetDisconnect,
                        "daemon shutting down; the message stays queued and is sent after restart");
  for (auto& [seq, pending] : pending_) if (pending.done) pending.done(stopping);
  for (auto& [rowid, pending] : queued_) if (pending.done) pending.done(stopping);
  PublishTurn();
  bus_.RemovePreCommitHook(pre_commit_hook_);
  bus_.RemoveRollbackHook(rollback_hook_);
  deadline_timer_->data = nullptr;
  uv_close(reinterpret_cast<uv_handle_t*>(deadline_timer_),
           [](uv_handle_t* h) { delete reinterpret_cast<uv_timer_t*>(h); });
}

void Messaging::OnIncoming(const xmpp::IncomingChat& chat) {
  std::optional<store::MessageRecord> incoming = IncomingRecord(chat, own_jid_);
  if (!incoming) return;
  store::MessageRecord& r = *incoming;
  try {
    if (store_.IsDeleted(r)) {
      // The app deleted this conversation after the message: an archive
      // catch-up or a late copy must not bring it back (mapping 6).
      spdlog::info("message {} predates the deletion of its conversation; dropped", r.msg_id);
      return;
    }
    if (cleared_ && cleared_(r)) {
      // Kept as a deleted row, so its later copies stay deleted too.
      r.status = tim::v1::MSG_DELETED;
      r.body.clear();
      r.elems.clear();
      r.is_read = true;
      store_.Insert(r);
      return;
    }
    if (!store_.Insert(r)) {
      spdlog::debug("duplicate copy of message {} ignored", r.msg_id);
      return;
    }
    const bool counts_unread = !r.is_from_self && !r.no_unread;
    RecordNewMessage(std::move(r), counts_unread);
  } catch (const store::StoreError& e) {
    // Nothing of this turn may be acked or announced half stored.
    bus_.AbortBatch("could not store incoming message " + r.msg_id + ": " + e.what());
  }
}

void Messaging::Send(const tim::v1::SendMessageRequest& request, xmpp::ChatManager* chat,
                     Done<tim::v1::SendMessageResponse> done) {
  auto fail = [&](Code code, int tim_code, std::string why) { done(Status(code, tim_code, std::move(why))); };
  if (request.conv_type() != tim::v1::CONV_C2C) {
    return fail(Code::kUnimplemented, tim_err::kInterfaceNotSupported, "only C2C conversations are supported");
  }
  auto peer = ids_.ToJid(request.conv_id());
  if (!peer.ok()) return done(peer.status());
  auto prepared = PrepareOutgoingContent(request.elems(), request.cloud_custom_str(), request.need_read_receipt(),
                                         options_.max_body_bytes);
  if (!prepared.ok()) return done(prepared.status());
  if (Status applied = ApplySendOptions(SendOptionsOf(request), prepared.value(), options_.max_body_bytes); !applied.ok()) {
    return done(applied);
  }
  tim::v1::Message& content = prepared.value().content;
  if (content.is_online_msg() && !chat) {  // never queued: online-only means now
    return fail(Code::kUnavailable, tim_err::kNetDisconnect, "not connected; an online-only message is not queued");
  }
  if (Status admitted = AdmitFiles(content); !admitted.ok()) return done(admitted);
  const std::string& body = prepared.value().body;
  if (request.client_msg_id().size() > 100) {
    return fail(Code::kInvalidArgument, tim_err::kInvalidParameters, "client_msg_id longer than 100 bytes");
  }
  if (auto problem = XmlTextProblem(request.client_msg_id())) {
    return fail(Code::kInvalidArgument, tim_err::kInvalidParameters, "client_msg_id, " + *problem + " in XMPP");
  }

  try {
    if (!request.client_msg_id().empty()) {
      if (auto existing = store_.FindByMsgId(request.client_msg_id())) {
        // Idempotent retry of a message that was already accepted.
        if (existing->status == tim::v1::MSG_SEND_SUCC && existing->is_from_self) {
          tim::v1::SendMessageResponse response;
          *response.mutable_message() = ToApiMessage(*existing, ids_);
          return AnswerAfterCommit(std::move(done), std::move(response));  // its status may be this turn's write
        }
        if (!existing->is_from_self || existing->conv_id != peer.value()) {
          return fail(Code::kAlreadyExists, tim_err::kInvalidParameters,
                      "client_msg_id is already used by another message");
        }
      }
    }
    store::MessageRecord r;
    r.msg_id = request.client_msg_id().empty() ? NewUuid() : request.client_msg_id();
    r.conv_id = peer.value();
    r.conv_type = tim::v1::CONV_C2C;
    r.sender = own_jid_;
    r.is_from_self = true;
    r.is_read = true;
    r.body = body;
    r.elems = EncodeContent(content);
    r.client_time_ms = NowMs();
    r.server_time_ms = r.client_time_ms;
    r.status = tim::v1::MSG_SENDING;
    r.origin_id = r.msg_id;
    r.raw_id = r.msg_id;
    if (!store_.Insert(r)) {
      auto existing = store_.FindByMsgId(r.msg_id);
      if (!existing) return fail(Code::kInternal, tim_err::kDatabaseFailure, "message could not be stored");
      r = *existing;  // a failed or cancelled earlier attempt with the same key: send it again
      // Unless it is still on its way (an app retrying a call that timed out
      // or was cut off): one copy on the wire, one outcome for both calls.
      if (JoinWaitingSend(r.rowid, done)) return;
      if (r.status != tim::v1::MSG_SENDING && r.status != tim::v1::MSG_SEND_FAIL && r.status != tim::v1::MSG_CANCEL) {
        return fail(Code::kAlreadyExists, tim_err::kInvalidParameters,
                    "message " + r.msg_id + " has status " + std::to_string(r.status) + " and cannot be sent again");
      }
      // Back in the outbox (TIM's resend): SENDING until its outcome.
      r.status = tim::v1::MSG_SENDING;
      store_.UpdateStatus(r.rowid, r.status, r.server_time_ms);
    }
    // Durable before it goes on the wire (the group commit would otherwise
    // wait): after a crash the outbox resends it rather than forgetting it.
    if (!bus_.Flush()) return fail(Code::kUnavailable, tim_err::kDatabaseFailure, "message could not be stored");
    PendingSend pending{r.rowid, static_cast<uint64_t>(NowMs()) + options_.send_ack_timeout_ms, std::move(done)};
    if (tim::v1::Message stored = StoredContent(r); NeedsUpload(stored)) {
      return HoldForUpload(r, std::move(stored), std::move(pending));
    }
    const uint64_t seq = chat ? chat->Send(OutgoingChatOf(r)) : 0;
    if (seq == 0) {
      queued_.emplace(r.rowid, std::move(pending));  // stored: goes out after reconnect
    } else {
      pending_.emplace(seq, std::move(pending));
    }
    ArmDeadlineTimer();
  } catch (const store::StoreError& e) {
    done(StoreFailureStatus(e));
  }
}

void Messaging::OnAcked(uint64_t handled) {
  while (!pending_.empty() && pending_.begin()->first <= handled) {
    auto node = pending_.extract(pending_.begin());
    CompleteSend(node.key(), std::move(node.mapped()), Status::Ok());
  }
}

void Messaging::OnBounced(const xmpp::BouncedChat& bounce) {
  try {
    auto record = store_.FindByMsgId(bounce.id);
    if (!record || !record->is_from_self || !FromRecipient(bounce.from, record->conv_id)) {
      spdlog::debug("ignoring an error reply that matches no message sent to {}", bounce.from);
      return;
    }
    if (record->status == tim::v1::MSG_SEND_FAIL) return;  // a copy of a refusal already handled
    const Status why = BounceStatus(bounce);
    for (auto it = pending_.begin(); it != pending_.end(); ++it) {
      if (it->second.rowid != record->rowid) continue;
      auto node = pending_.extract(it);
      return CompleteSend(node.key(), std::move(node.mapped()), why);
    }
    if (auto node = queued_.extract(record->rowid)) return CompleteSend(0, std::move(node.mapped()), why);
    FailAfterAck(std::move(*record), why);
  } catch (const store::StoreError& e) {
    spdlog::error("could not record the refusal of message {}: {}", bounce.id, e.what());
  }
}

void Messaging::FailAfterAck(store::MessageRecord record, const Status& why) {
  spdlog::warn("message {} to {} failed after the server accepted it: {}", record.msg_id, record.conv_id,
               why.message());
  PublishTurn();  // this turn's events first: the update follows the message it changes
  record.status = tim::v1::MSG_SEND_FAIL;
  store_.UpdateStatus(record.rowid, record.status, record.server_time_ms);
  tim::v1::Event updated;
  FillApiMessage(record, ids_, *updated.mutable_messages_updated()->add_messages());
  bus_.Publish(std::move(updated));
  auto conv = store_.FindConversation(record.conv_id, record.conv_type);
  if (!conv || conv->last_msg_rowid != record.rowid) return;
  tim::v1::Event conv_event;
  conv_event.mutable_conv_event()->set_type(tim::v1::CONV_EVENT_UPDATE);
  *conv_event.mutable_conv_event()->add_conversations() = ToApiConversation(*conv, &record, ids_);
  bus_.Publish(std::move(conv_event));
}

void Messaging::RequeueUnacked() {
  for (auto& [seq, pending] : pending_) {
    auto [it, inserted] = queued_.try_emplace(pending.rowid, std::move(pending));
    // The same message was sent twice (an idempotent retry): both callers
    // learn its outcome.
    if (!inserted) AlsoNotify(it->second, std::move(pending.done));
  }
  pending_.clear();
}

bool Messaging::JoinWaitingSend(int64_t rowid, Done<tim::v1::SendMessageResponse>& done) {
  PendingSend* waiting = nullptr;
  if (auto it = queued_.find(rowid); it != queued_.end()) waiting = &it->second;
  if (auto it = uploading_.find(rowid); it != uploading_.end()) waiting = &it->second;
  for (auto& [seq, pending] : pending_) {
    if (pending.rowid == rowid) waiting = &pending;
  }
  if (!waiting) return false;
  AlsoNotify(*waiting, std::move(done));
  return true;
}

void Messaging::AlsoNotify(PendingSend& pending, Done<tim::v1::SendMessageResponse> more) {
  if (!more) return;
  if (!pending.done) {
    pending.done = std::move(more);
    return;
  }
  pending.done = [first = std::move(pending.done), second = std::move(more)](
                     Result<tim::v1::SendMessageResponse> result) {
    first(result);
    second(std::move(result));
  };
}

void Messaging::FailPending(const Status& why) {
  CompleteDue(pending_, UINT64_MAX, why);
  CompleteDue(queued_, UINT64_MAX, why);
  for (const auto& [rowid, pending] : uploading_) uploads_->Cancel(rowid);
  CompleteDue(uploading_, UINT64_MAX, why);
}

template <typename Key>
void Messaging::CompleteDue(std::map<Key, PendingSend>& sends, uint64_t due_by, const Status& why) {
  for (auto it = sends.begin(); it != sends.end();) {
    if (it->second.deadline_ms > due_by) {
      ++it;
      continue;
    }
    auto node = sends.extract(it++);
    // pending_ is keyed by stanza seq, queued_ by rowid (never sent).
    const uint64_t stanza_seq = std::is_same_v<Key, uint64_t> ? static_cast<uint64_t>(node.key()) : 0;
    CompleteSend(stanza_seq, std::move(node.mapped()), why);
  }
}

void Messaging::ResendOutbox(xmpp::ChatManager& chat) {
  std::map<int64_t, PendingSend> waiting = std::move(queued_);  // by rowid: calls still waiting
  queued_.clear();
  // Sent on this stream (a resumed one resent them itself): their ack comes.
  std::set<int64_t> on_the_wire;
  for (const auto& [seq, pending] : pending_) on_the_wire.insert(pending.rowid);
  try {
    const auto now = static_cast<uint64_t>(NowMs());
    for (auto& record : store_.ListSending()) {
      if (on_the_wire.count(record.rowid) || uploading_.count(record.rowid)) continue;
      auto it = waiting.find(record.rowid);
      PendingSend pending = it != waiting.end()
                                ? std::move(it->second)
                                : PendingSend{record.rowid, now + options_.send_ack_timeout_ms, nullptr};
      if (it != waiting.end()) waiting.erase(it);
      if (static_cast<uint64_t>(record.client_time_ms) + options_.outbox_expiry_ms < now) {
        CompleteSend(0, std::move(pending),
                     Status(Code::kDeadlineExceeded, tim_err::kRequestTimeout, "message expired in the outbox"));
        continue;
      }
      if (auto problem = UnsendableProblem(record)) {
        // Stored before timd refused such text: sending it would end the
        // stream, and this outbox would send it after every reconnect.
        spdlog::error("outbox: message {} cannot be sent: {}", record.msg_id, *problem);
        CompleteSend(0, std::move(pending),
                     Status(Code::kInvalidArgument, tim_err::kInvalidMsgElem, "message " + *problem + " in XMPP"));
        continue;
      }
      if (tim::v1::Message stored = StoredContent(record); NeedsUpload(stored)) {
        HoldForUpload(record, std::move(stored), std::move(pending));  // from the start: e.g. after a restart
        continue;
      }
      const uint64_t seq = chat.Send(OutgoingChatOf(record));
      if (seq == 0) {
        queued_.emplace(record.rowid, std::move(pending));  // offline again: the next session retries
        continue;
      }
      spdlog::info("outbox: sending message {} again", record.msg_id);
      pending_.emplace(seq, std::move(pending));
    }
  } catch (const store::StoreError& e) {
    spdlog::error("outbox: cannot read queued messages: {}", e.what());
  }
  // Anything left has no stored row any more; fail it rather than leave its
  // caller waiting.
  for (auto& [rowid, pending] : waiting) {
    if (pending.done) {
      pending.done(Status(Code::kUnavailable, tim_err::kNetDisconnect, "connection lost before the message was sent"));
    }
  }
  if (!pending_.empty() || !queued_.empty()) ArmDeadlineTimer();
}

void Messaging::CompleteSend(uint64_t stanza_seq, PendingSend pending, const Status& status) {
  try {
    auto record = store_.FindByRowid(pending.rowid);
    if (!record) {
      if (pending.done) pending.done(Status(Code::kInternal, tim_err::kDatabaseFailure, "sent message vanished"));
      return;
    }
    if (!status.ok()) {
      store_.UpdateStatus(record->rowid, tim::v1::MSG_SEND_FAIL, record->server_time_ms);
      spdlog::warn("message {} (stanza {}) failed: {}", record->msg_id, stanza_seq, status.message());
      return AnswerAfterCommit(std::move(pending.done), status);
    }
    record->status = tim::v1::MSG_SEND_SUCC;
    record->server_time_ms = NowMs();  // the server accepted it now
    store_.UpdateStatus(record->rowid, record->status, record->server_time_ms);
    tim::v1::SendMessageResponse response;
    *response.mutable_message() = RecordNewMessage(std::move(*record), false);
    AnswerAfterCommit(std::move(pending.done), std::move(response));
  } catch (const store::StoreError& e) {
    if (pending.done) pending.done(StoreFailureStatus(e));
  }
}

void Messaging::AnswerAfterCommit(Done<tim::v1::SendMessageResponse> done,
                                  Result<tim::v1::SendMessageResponse> result) {
  if (!done) return;
  bus_.AfterPromptCommit([done = std::move(done), result = std::move(result)](bool committed) {
    if (committed) return done(result);
    done(Status(Code::kUnavailable, tim_err::kDatabaseFailure, "the message's outcome could not be stored"));
  });
}

const tim::v1::Message& Messaging::RecordNewMessage(store::MessageRecord&& record, bool counts_unread) {
  auto [conv, created] = store_.TouchConversation(record, counts_unread);
  auto& turn = turn_convs_[{conv.conv_type, conv.conv_id}];
  turn.created = turn.created || created;
  turn.conv = conv;
  bus_.RequestFlush();
  // TIM delivers at most 100 messages per callback.
  constexpr int kMaxPerEvent = 100;
  if (turn_events_.empty() || turn_events_.back()->new_messages().messages_size() >= kMaxPerEvent) {
    turn_events_.emplace_back();
  }
  tim::v1::Message& message = *turn_events_.back()->mutable_new_messages()->add_messages();
  FillApiMessage(record, ids_, message);
  // The turn's ConvEvent shows the conversation's last message: kept here,
  // it need not be read back.
  if (conv.last_msg_rowid == record.rowid) turn.last_msg = std::move(record);
  return message;
}

void Messaging::PublishTurn() {
  if (turn_events_.empty()) return;  // every touched conversation has a message here
  for (auto& event : turn_events_) bus_.Publish(std::move(event));
  tim::v1::Event added, updated;
  for (auto& [key, turn] : turn_convs_) {
    if (!turn.last_msg && turn.conv.last_msg_rowid != 0) {
      try {
        turn.last_msg = store_.FindByRowid(turn.conv.last_msg_rowid);
      } catch (const store::StoreError& e) {
        spdlog::error("could not read the last message of {}: {}", turn.conv.conv_id, e.what());
      }
    }
    auto& target = turn.created ? added : updated;
    *target.mutable_conv_event()->add_conversations() =
        ToApiConversation(turn.conv, turn.last_msg ? &*turn.last_msg : nullptr, ids_);
  }
  if (added.has_conv_event()) {
    added.mutable_conv_event()->set_type(tim::v1::CONV_EVENT_ADD);
    bus_.Publish(std::move(added));
  }
  if (updated.has_conv_event()) {
    updated.mutable_conv_event()->set_type(tim::v1::CONV_EVENT_UPDATE);
    bus_.Publish(std::move(updated));
  }
  turn_events_.clear();
  turn_convs_.clear();
}

void Messaging::ArmDeadlineTimer() {
  if (!uv_is_active(reinterpret_cast<uv_handle_t*>(deadline_timer_))) {
    uv_timer_start(deadline_timer_, &Messaging::OnDeadlineTimer, 1000, 1000);
  }
}

void Messaging::OnDeadlineTimer(uv_timer_t* timer) {
  auto* self = static_cast<Messaging*>(timer->data);
  if (!self) return;
  const auto now = static_cast<uint64_t>(NowMs());
  self->CompleteDue(self->pending_, now,
                    Status(Code::kDeadlineExceeded, tim_err::kRequestTimeout,
                           "the server did not acknowledge the message in time"));
  self->CompleteDue(self->queued_, now,
                    Status(Code::kUnavailable, tim_err::kNetDisconnect,
                           "not connected to the server in time; the message was not sent"));
  if (self->pending_.empty() && self->queued_.empty()) uv_timer_stop(timer);
}

}  // namespace timd::domain
