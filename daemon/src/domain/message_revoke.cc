#include "domain/message_revoke.h"

#include <spdlog/spdlog.h>

#include <utility>

#include "common/clock.h"
#include "domain/message_codec.h"
#include "domain/message_edit_store.h"
#include "domain/own_message_lookup.h"
#include "domain/referenced_message.h"
#include "domain/store_status.h"

namespace timd::domain {

MessageRevoke::MessageRevoke(store::MessageStore& store, events::EventBus& bus, const UserIds& ids,
                             MessageChangeEvents& changes, AckWaiters& acks, uint64_t time_limit_ms)
    : store_(store),
      bus_(bus),
      ids_(ids),
      changes_(changes),
      acks_(acks),
      tombstones_(store.database()),
      time_limit_ms_(time_limit_ms) {}

void MessageRevoke::Revoke(const tim::v1::RevokeMessageRequest& request, xmpp::MessageRetraction* retraction,
                           Done<tim::v1::RevokeMessageResponse> done) {
  try {
    auto found = FindOwnMessage(store_, ids_, request.conv_id(), request.conv_type(), request.msg_id(), "revoked");
    if (!found.ok()) return done(found.status());
    store::MessageRecord& record = found.value();
    if (record.status == tim::v1::MSG_REVOKED) return AnswerAfterCommit(std::move(done), record);
    if (Status sendable = CheckChangeable(record, "revoked"); !sendable.ok()) return done(sendable);
    if (StoredContent(record).is_online_msg()) {
      return done(Status(Code::kFailedPrecondition, tim_err::kInvalidOperation,
                         "message " + record.msg_id + " is online-only: online-only messages cannot be revoked"));
    }
    const int64_t age_ms = NowMs() - record.server_time_ms;
    if (age_ms > static_cast<int64_t>(time_limit_ms_)) {
      return done(Status(Code::kFailedPrecondition, tim_err::kRevokeTimeLimitExceed,
                         "message " + record.msg_id + " was sent " + std::to_string(age_ms / 1000) +
                             " s ago; messages can be revoked for " + std::to_string(time_limit_ms_ / 1000) + " s"));
    }
    if (!retraction) return done(NotConnectedStatus());
    const xmpp::SentMessage sent = retraction->Send(record.conv_id, record.raw_id);
    if (sent.seq == 0) return done(NotConnectedStatus());
    acks_.Wait(sent.seq, [this, rowid = record.rowid, done = std::move(done)](const Status& acked) mutable {
      if (!acked.ok()) return done(acked);
      OnRevokeAcked(rowid, std::move(done));
    });
  } catch (const store::StoreError& e) {
    done(StoreFailureStatus(e));
  }
}

void MessageRevoke::OnRevokeAcked(int64_t rowid, Done<tim::v1::RevokeMessageResponse> done) {
  try {
    auto record = store_.FindByRowid(rowid);
    if (!record) return done(Status(Code::kInternal, tim_err::kDatabaseFailure, "revoked message vanished"));
    Apply(*record, own_jid_);
    AnswerAfterCommit(std::move(done), *record);
  } catch (const store::StoreError& e) {
    bus_.AbortBatch(std::string("could not record a revoke: ") + e.what());
    done(StoreFailureStatus(e));
  }
}

void MessageRevoke::AnswerAfterCommit(Done<tim::v1::RevokeMessageResponse> done, const store::MessageRecord& record) {
  tim::v1::RevokeMessageResponse response;
  *response.mutable_message() = ToApiMessage(record, ids_);
  bus_.AfterPromptCommit([done = std::move(done), response = std::move(response)](bool committed) {
    if (committed) return done(response);
    done(Status(Code::kUnavailable, tim_err::kDatabaseFailure, "the revoke could not be stored"));
  });
}

void MessageRevoke::Apply(store::MessageRecord& record, const std::string& revoker) {
  // Another copy of the retraction, or a message deleted here (it stays deleted).
  if (!StoreRevoked(store_, record)) return;
  spdlog::info("message {} in {} revoked by {}", record.msg_id, record.conv_id, revoker);
  changes_.Revoked(record, revoker);
}

void MessageRevoke::OnRetraction(const xmpp::Retraction& retraction) {
  const xmpp::MessageOrigin& origin = retraction.origin;
  try {
    ReferencedMessage found = FindReferencedMessage(store_, origin, own_jid_, retraction.retracted_id, "retraction");
    if (found.someone_elses) return;
    if (!found.message) {
      // Its message has not arrived yet (offline storage before the
      // archive, a carbon before the original): applied when it does.
      spdlog::info("retraction by {} of message {} arrived first; kept until the message does", origin.from_bare,
                   retraction.retracted_id);
      tombstones_.Add(origin.from_bare, retraction.retracted_id, NowMs());
      bus_.RequestFlush();
      return;
    }
    Apply(*found.message, origin.from_bare);
  } catch (const store::StoreError& e) {
    bus_.AbortBatch(std::string("could not store a retraction: ") + e.what());
  }
}

void MessageRevoke::OnMessageStored(const xmpp::IncomingChat& chat) {
  auto from = xmpp::Jid::Parse(chat.from);
  if (!from || chat.id.empty()) return;
  const std::string sender = from->Bare();
  try {
    if (!tombstones_.Take(sender, chat.id)) return;
    ReferencedMessage found = FindReferencedMessage(store_, ConversationOf(sender, chat.to, own_jid_), sender, chat.id);
    if (found.message) Apply(*found.message, sender);
  } catch (const store::StoreError& e) {
    bus_.AbortBatch(std::string("could not apply a waiting retraction: ") + e.what());
  }
}

}  // namespace timd::domain
