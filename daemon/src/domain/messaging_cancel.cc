// The part of Messaging that takes an own message back out of the outbox
// before it reaches the server (TIMMsgCancelSend, mapping §4.2).
#include <spdlog/spdlog.h>

#include <optional>
#include <string>
#include <utility>

#include "domain/message_codec.h"
#include "domain/messaging.h"
#include "domain/own_message_lookup.h"
#include "domain/store_status.h"

namespace timd::domain {

void Messaging::CancelSend(const tim::v1::CancelSendRequest& request, Done<tim::v1::CancelSendResponse> done) {
  try {
    auto found = FindOwnMessage(store_, ids_, request.conv_id(), request.conv_type(), request.msg_id(), "cancelled");
    if (!found.ok()) return done(found.status());
    store::MessageRecord& record = found.value();
    bool on_the_wire = false;  // handed to the server: its ack or error decides now
    for (const auto& [seq, pending] : pending_) on_the_wire = on_the_wire || pending.rowid == record.rowid;
    if (record.status != tim::v1::MSG_CANCEL && (record.status != tim::v1::MSG_SENDING || on_the_wire)) {
      const std::string state =
          on_the_wire ? "it was sent and waits for the server's ack" : "status " + std::to_string(record.status);
      return done(Status(Code::kFailedPrecondition, tim_err::kInvalidCancelMessage,
                         "message " + record.msg_id + " already left the outbox (" + state +
                             "); only a message not yet sent can be cancelled"));
    }
    std::optional<PendingSend> waiting;  // the SendMessage call still waiting, if any
    if (record.status == tim::v1::MSG_SENDING) {
      if (auto queued = queued_.extract(record.rowid)) waiting = std::move(queued.mapped());
      if (auto uploading = uploading_.extract(record.rowid)) {
        uploads_->Cancel(record.rowid);  // stops the PUT; its outcome is never reported
        waiting = std::move(uploading.mapped());
      }
      // Out of the outbox for good: ResendOutbox lists only SENDING rows.
      store_.UpdateStatus(record.rowid, tim::v1::MSG_CANCEL, 0);
      record.status = tim::v1::MSG_CANCEL;
      spdlog::info("message {} to {} cancelled before it was sent", record.msg_id, record.conv_id);
    }
    tim::v1::CancelSendResponse response;
    *response.mutable_message() = ToApiMessage(record, ids_);
    bus_.RequestFlush();
    bus_.AfterPromptCommit([done = std::move(done), response = std::move(response),
                            waiting = std::move(waiting)](bool committed) {
      if (!committed) {
        // The row still says SENDING: the outbox sends it after the next reconnect.
        const Status lost(Code::kUnavailable, tim_err::kDatabaseFailure,
                          "the cancel could not be stored; the message stays in the outbox");
        if (waiting && waiting->done) waiting->done(lost);
        return done(lost);
      }
      if (waiting && waiting->done) {
        waiting->done(Status(Code::kCancelled, tim_err::kSendMessageFailedWithCancel,
                             "message " + response.message().msg_id() + " was cancelled before it was sent"));
      }
      done(response);
    });
  } catch (const store::StoreError& e) {
    bus_.AbortBatch(std::string("could not store a cancel: ") + e.what());
    done(StoreFailureStatus(e));
  }
}

}  // namespace timd::domain
