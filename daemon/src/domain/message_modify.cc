#include "domain/file_elems.h"
#include "domain/message_modify.h"

#include <spdlog/spdlog.h>

#include <utility>

#include "domain/location_elems.h"
#include "domain/message_codec.h"
#include "domain/message_edit_store.h"
#include "domain/outgoing_content.h"
#include "domain/own_message_lookup.h"
#include "domain/referenced_message.h"
#include "domain/store_status.h"

namespace timd::domain {

MessageModify::MessageModify(store::MessageStore& store, events::EventBus& bus, const UserIds& ids,
                             MessageChangeEvents& changes, AckWaiters& acks, size_t max_body_bytes)
    : store_(store), bus_(bus), ids_(ids), changes_(changes), acks_(acks), max_body_bytes_(max_body_bytes) {}

void MessageModify::Modify(const tim::v1::ModifyMessageRequest& request, xmpp::MessageCorrection* correction,
                           Done<tim::v1::ModifyMessageResponse> done) {
  try {
    auto found = FindOwnMessage(store_, ids_, request.conv_id(), request.conv_type(), request.msg_id(), "modified");
    if (!found.ok()) return done(found.status());
    const store::MessageRecord& record = found.value();
    if (Status changeable = CheckChangeable(record, "modified"); !changeable.ok()) return done(changeable);
    if (modifying_.count(record.rowid)) {
      return done(Status(Code::kAborted, tim_err::kMsgModifyConflict,
                         "message " + record.msg_id + " is being modified already; call again once that ends"));
    }
    auto prepared = PrepareOutgoingContent(request.elems(), request.cloud_custom_str(),
                                           StoredContent(record).need_read_receipt(), max_body_bytes_);
    if (!prepared.ok()) return done(prepared.status());
    if (NeedsUpload(prepared.value().content)) {
      return done(Status(Code::kUnimplemented, tim_err::kInterfaceNotSupported,
                         "a modification carries no new files to upload; send the file as a new message"));
    }
    if (!correction) return done(NotConnectedStatus());
    const OutgoingContent& content = prepared.value();
    // <replace id> names the first version: the stored row's id attribute,
    // which corrections never change.
    xmpp::OutgoingChat corrected(record.conv_id, "", content.body, content.payload);
    corrected.location = GeoLocationOf(content.content);  // the geoloc too: it replaces every payload
    const xmpp::SentMessage sent = correction->Send(std::move(corrected), record.raw_id);
    if (sent.seq == 0) return done(NotConnectedStatus());
    modifying_.insert(record.rowid);
    acks_.Wait(sent.seq, [this, rowid = record.rowid, body = content.body, elems = EncodeContent(content.content),
                          done = std::move(done)](const Status& acked) mutable {
      modifying_.erase(rowid);
      if (!acked.ok()) return done(acked);
      OnModifyAcked(rowid, body, elems, std::move(done));
    });
  } catch (const store::StoreError& e) {
    done(StoreFailureStatus(e));
  }
}

void MessageModify::OnModifyAcked(int64_t rowid, const std::string& body, const std::string& elems,
                                  Done<tim::v1::ModifyMessageResponse> done) {
  try {
    auto record = store_.FindByRowid(rowid);
    if (!record) return done(Status(Code::kInternal, tim_err::kDatabaseFailure, "modified message vanished"));
    Apply(*record, body, elems);
    tim::v1::ModifyMessageResponse response;
    *response.mutable_message() = ToApiMessage(*record, ids_);
    bus_.AfterPromptCommit([done = std::move(done), response = std::move(response)](bool committed) {
      if (committed) return done(response);
      done(Status(Code::kUnavailable, tim_err::kDatabaseFailure, "the modification could not be stored"));
    });
  } catch (const store::StoreError& e) {
    bus_.AbortBatch(std::string("could not record a modification: ") + e.what());
    done(StoreFailureStatus(e));
  }
}

bool MessageModify::Apply(store::MessageRecord& record, const std::string& body, const std::string& elems) {
  if (!StoreContent(store_, record, body, elems)) return false;
  changes_.Updated(record);
  return true;
}

void MessageModify::OnCorrection(const xmpp::Correction& correction) {
  const xmpp::MessageOrigin& origin = correction.origin;
  try {
    ReferencedMessage found = FindReferencedMessage(store_, origin, own_jid_, correction.replaced_id, "correction");
    if (found.someone_elses) return;
    if (!found.message) {
      spdlog::info("ignoring a correction by {} of message {}, which is not stored", origin.from_bare,
                   correction.replaced_id);
      return;
    }
    store::MessageRecord& record = *found.message;
    if (StoreCorrection(store_, record, correction)) {
      changes_.Updated(record);
      spdlog::info("message {} in {} corrected by {}", record.msg_id, record.conv_id, origin.from_bare);
    }
  } catch (const store::StoreError& e) {
    bus_.AbortBatch(std::string("could not store a correction: ") + e.what());
  }
}

}  // namespace timd::domain
