// The part of Messaging that holds messages while their files upload
// (FileUploads) and sends them once the files are up.
#include <spdlog/spdlog.h>

#include "common/clock.h"
#include "domain/file_elems.h"
#include "domain/location_elems.h"
#include "domain/message_codec.h"
#include "domain/messaging.h"
#include "domain/store_status.h"

namespace timd::domain {

Status Messaging::AdmitFiles(tim::v1::Message& content) const {
  if (!HasFileElems(content.elems())) return Status::Ok();
  if (Status readable = AdmitLocalFiles(content); !readable.ok()) return readable;
  if (!NeedsUpload(content)) return Status::Ok();  // files already up (e.g. forwarded): their URLs go as they are
  if (!uploads_) return Status(Code::kUnimplemented, tim_err::kInterfaceNotSupported, "this timd uploads no files");
  return uploads_->CheckServiceTakes(content);
}

void Messaging::HoldForUpload(const store::MessageRecord& record, tim::v1::Message content, PendingSend pending) {
  uploading_.emplace(record.rowid, std::move(pending));
  uploads_->Start(record, std::move(content));
}

xmpp::OutgoingChat Messaging::OutgoingChatOf(const store::MessageRecord& record) {
  tim::v1::Message content = StoredContent(record);
  xmpp::OutgoingChat chat(record.conv_id, record.msg_id, record.body, EncodePayload(content));
  chat.files = SharedFilesOf(content);
  chat.location = GeoLocationOf(content);
  chat.no_store = content.is_online_msg();
  return chat;
}

void Messaging::OnUploaded(int64_t rowid, Result<tim::v1::Message> uploaded, xmpp::ChatManager* chat) {
  auto held = uploading_.extract(rowid);
  PendingSend pending = held ? std::move(held.mapped()) : PendingSend{rowid, 0, nullptr};
  pending.deadline_ms = static_cast<uint64_t>(NowMs()) + options_.send_ack_timeout_ms;
  if (!uploaded.ok()) return CompleteSend(0, std::move(pending), uploaded.status());
  try {
    auto record = store_.FindByRowid(rowid);
    if (!record) {
      if (pending.done) pending.done(Status(Code::kInternal, tim_err::kDatabaseFailure, "uploaded message vanished"));
      return;
    }
    StoreUploadedContent(*record, uploaded.value());
    // The URLs are stored before they go out: a restart sends them rather
    // than uploading the files again.
    if (!bus_.Flush()) {
      if (pending.done) {
        pending.done(Status(Code::kUnavailable, tim_err::kDatabaseFailure, "the uploaded files' URLs could not be stored"));
      }
      return;
    }
    const uint64_t seq = chat ? chat->Send(OutgoingChatOf(*record)) : 0;
    if (seq == 0) {
      queued_.emplace(rowid, std::move(pending));
    } else {
      pending_.emplace(seq, std::move(pending));
    }
    ArmDeadlineTimer();
  } catch (const store::StoreError& e) {
    if (pending.done) pending.done(StoreFailureStatus(e));
  }
}

void Messaging::OnPartlyUploaded(int64_t rowid, const tim::v1::Message& content) {
  try {
    auto record = store_.FindByRowid(rowid);
    if (record) StoreUploadedContent(*record, content);
  } catch (const store::StoreError& e) {
    // Nothing waits on it: the upload goes on, and a restart would upload
    // these files again.
    bus_.AbortBatch("could not store the URLs of uploaded files: " + std::string(e.what()));
  }
}

void Messaging::StoreUploadedContent(store::MessageRecord& record, const tim::v1::Message& content) {
  record.elems = EncodeContent(content);
  record.body = FallbackBody(content.elems());
  store_.UpdateContent(record.rowid, record.body, record.elems);
}

}  // namespace timd::domain
