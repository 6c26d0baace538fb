#include "domain/file_uploads.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "domain/file_elems.h"
#include "domain/message_codec.h"

namespace timd::domain {
namespace {

constexpr const char* kNoUploadService =
    "the server offers no HTTP File Upload service (XEP-0363, urn:xmpp:http:upload:0), so files cannot be sent";

Status PutFailure(const std::string& which, const http::TransferResult& result) {
  std::string why = "uploading " + which + " failed: " + http::ToString(result.error);
  if (result.http_status != 0) why += " (HTTP " + std::to_string(result.http_status) + ")";
  if (!result.message.empty()) why += ": " + result.message;
  const bool refused = result.error == http::TransferError::kHttpStatus &&
                       (result.http_status == 401 || result.http_status == 403);
  return Status(Code::kUnavailable, refused ? tim_err::kFileTransAuthFailed : tim_err::kFileTransUploadFailed, why);
}

Status SlotFailure(const std::string& which, const xmpp::SlotResult& result) {
  const std::string why = "no upload slot for " + which + ": " + result.message;
  if (result.error == xmpp::UploadError::kFileTooLarge) {
    return Status(Code::kInvalidArgument, tim_err::kFileTooLarge, why);
  }
  return Status(Code::kUnavailable, tim_err::kFileTransUploadFailed, why);
}

std::string WhichFile(int index, bool snapshot) {
  return "element " + std::to_string(index) + (snapshot ? "'s snapshot" : "");
}

}  // namespace

FileUploads::FileUploads(http::TransferEngine& engine, events::EventBus& bus, const UserIds& ids, Finished finished,
                         PartlyUploaded partly_uploaded)
    : bus_(bus),
      ids_(ids),
      finished_(std::move(finished)),
      partly_uploaded_(std::move(partly_uploaded)),
      engine_(engine) {}

FileUploads::~FileUploads() {
  *alive_ = false;
  for (auto& [rowid, job] : jobs_) {
    if (job.transfer != 0) engine_.Cancel(job.transfer);
  }
}

void FileUploads::set_upload(xmpp::HttpUpload* upload) {
  upload_ = upload;
  service_state_ = ServiceState::kUnknown;
  if (upload_) return Discover();
  // No stream to ask: sends that waited go on (and queue).
  auto waiting = std::move(waiting_for_service_);
  waiting_for_service_.clear();
  for (auto& then : waiting) then();
}

void FileUploads::Discover() {
  service_state_ = ServiceState::kDiscovering;
  upload_->DiscoverService([this, alive = alive_, asked = upload_](const xmpp::ServiceDiscovery& found) {
    if (!*alive || asked != upload_) return;
    if (found.error == xmpp::UploadError::kNone) {
      service_state_ = ServiceState::kFound;
      service_ = found.service;
      spdlog::info("uploads go to {} (limit {} bytes)", service_.jid,
                   service_.max_file_size ? std::to_string(*service_.max_file_size) : "unknown");
    } else {
      service_state_ = found.error == xmpp::UploadError::kNoService ? ServiceState::kAbsent : ServiceState::kUnknown;
      spdlog::warn("no upload service: {}", found.message);
    }
    auto waiting = std::move(waiting_for_service_);
    waiting_for_service_.clear();
    for (auto& then : waiting) then();
    ResumeWaiting();
  });
}

void FileUploads::WhenServiceKnown(std::function<void()> then) {
  if (service_state_ == ServiceState::kDiscovering) return waiting_for_service_.push_back(std::move(then));
  then();
}

Status FileUploads::CheckServiceTakes(const tim::v1::Message& content) const {
  if (!NeedsUpload(content)) return Status::Ok();
  if (service_state_ == ServiceState::kAbsent) {
    return Status(Code::kFailedPrecondition, tim_err::kInterfaceNotSupported, kNoUploadService);
  }
  if (service_state_ != ServiceState::kFound || !service_.max_file_size) return Status::Ok();
  const uint64_t limit = *service_.max_file_size;
  auto too_large = [limit](const tim::v1::FileElem& file, const std::string& which) {
    return Status(Code::kInvalidArgument, tim_err::kFileTooLarge,
                  which + " is " + std::to_string(file.file_size()) + " bytes; the server takes files of at most " +
                      std::to_string(limit));
  };
  for (int i = 0; i < content.elems_size(); ++i) {
    if (!NeedsUpload(content.elems(i))) continue;
    const tim::v1::FileElem& file = content.elems(i).file();
    const std::string which = "element " + std::to_string(i);
    if (NeedsUpload(file) && file.file_size() > limit) return too_large(file, which);
    if (file.has_snapshot() && NeedsUpload(file.snapshot()) && file.snapshot().file_size() > limit) {
      return too_large(file.snapshot(), which + "'s snapshot");
    }
  }
  return Status::Ok();
}

void FileUploads::Start(const store::MessageRecord& record, tim::v1::Message content) {
  Job& job = jobs_[record.rowid];
  job.rowid = record.rowid;
  job.content = std::move(content);
  job.api = ToApiMessage(record, ids_);
  Next(job);
}

void FileUploads::Cancel(int64_t rowid) {
  auto it = jobs_.find(rowid);
  if (it == jobs_.end()) return;
  if (it->second.transfer != 0) engine_.Cancel(it->second.transfer);
  jobs_.erase(it);
}

tim::v1::FileElem& FileUploads::Uploading(Job& job) {
  tim::v1::FileElem& file = *job.content.mutable_elems(job.index)->mutable_file();
  return job.snapshot ? *file.mutable_snapshot() : file;
}

void FileUploads::Next(Job& job) {
  // After an element's own file comes its snapshot, then the next element.
  if (job.index >= 0 && !job.snapshot) {
    const tim::v1::FileElem& file = job.content.elems(job.index).file();
    if (file.has_snapshot() && NeedsUpload(file.snapshot())) {
      job.snapshot = true;
      return RequestSlot(job);
    }
  }
  for (int i = job.index + 1; i < job.content.elems_size(); ++i) {
    if (!NeedsUpload(job.content.elems(i))) continue;
    job.index = i;
    job.snapshot = !NeedsUpload(job.content.elems(i).file());  // e.g. a forwarded video given a new snapshot
    return RequestSlot(job);
  }
  const int64_t rowid = job.rowid;
  tim::v1::Message uploaded = std::move(job.content);
  jobs_.erase(rowid);
  finished_(rowid, std::move(uploaded));
}

void FileUploads::RequestSlot(Job& job) {
  if (job.new_urls) {
    job.new_urls = false;
    partly_uploaded_(job.rowid, job.content);
  }
  if (upload_ && service_state_ == ServiceState::kAbsent) {
    return Fail(job.rowid, Status(Code::kFailedPrecondition, tim_err::kInterfaceNotSupported, kNoUploadService));
  }
  if (!upload_ || service_state_ != ServiceState::kFound) {
    job.waiting_for_stream = true;  // the next discovery (this stream's, or the next stream's) resumes it
    return;
  }
  const tim::v1::FileElem& file = Uploading(job);
  xmpp::UploadRequest request{file.file_name(), file.file_size(), file.media_type()};
  upload_->RequestSlot(service_, request, [this, alive = alive_, rowid = job.rowid](const xmpp::SlotResult& slot) {
    if (!*alive) return;
    auto it = jobs_.find(rowid);
    if (it == jobs_.end()) return;
    Job& job = it->second;
    if (slot.error == xmpp::UploadError::kNone) return Put(job, slot.slot);
    if (slot.error == xmpp::UploadError::kDisconnected) {
      job.waiting_for_stream = true;
      return;
    }
    Fail(rowid, SlotFailure(WhichFile(job.index, job.snapshot), slot));
  });
}

void FileUploads::Put(Job& job, const xmpp::UploadSlot& slot) {
  const tim::v1::FileElem& file = Uploading(job);
  http::UploadSpec spec{slot.put_url, file.local_path(), slot.put_headers, file.media_type()};
  http::TransferCallbacks callbacks;
  const int64_t rowid = job.rowid;
  callbacks.on_progress = [this, rowid](const http::TransferProgress& progress) {
    if (auto it = jobs_.find(rowid); it != jobs_.end()) PublishProgress(it->second, progress.done, progress.total);
  };
  callbacks.on_done = [this, rowid, get_url = slot.get_url](const http::TransferResult& result) {
    auto it = jobs_.find(rowid);
    if (it == jobs_.end()) return;
    Job& job = it->second;
    job.transfer = 0;
    if (result.error != http::TransferError::kNone) {
      return Fail(rowid, PutFailure(WhichFile(job.index, job.snapshot), result));
    }
    tim::v1::FileElem& file = Uploading(job);
    file.set_url(get_url);
    file.set_id(FileIdOfUrl(get_url));
    file.set_file_size(result.bytes);
    file.set_sha256(HexOf(result.sha256.data(), result.sha256.size()));
    *job.api.mutable_elems(job.index) = job.content.elems(job.index);
    job.new_urls = true;
    Next(job);
  };
  job.transfer = engine_.StartUpload(spec, std::move(callbacks));
}

void FileUploads::Fail(int64_t rowid, Status why) {
  jobs_.erase(rowid);
  finished_(rowid, std::move(why));
}

void FileUploads::PublishProgress(const Job& job, uint64_t done, uint64_t total) {
  tim::v1::Event event;
  auto& progress = *event.mutable_msg_upload_progress();
  *progress.mutable_message() = job.api;
  progress.set_index(static_cast<uint32_t>(job.index));
  // A video and its snapshot are one upload of both sizes: the video's
  // bytes first, then the snapshot's.
  const tim::v1::FileElem& file = job.content.elems(job.index).file();
  if (file.has_snapshot()) {
    const uint64_t before = job.snapshot ? file.file_size() : 0;
    const uint64_t other = job.snapshot ? 0 : file.snapshot().file_size();
    done += before;
    const uint64_t current = job.snapshot ? file.snapshot().file_size() : file.file_size();
    total = std::max(total, current) + before + other;
  }
  progress.set_cur_size(done);
  progress.set_total_size(total);
  bus_.Publish(std::move(event));
}

void FileUploads::ResumeWaiting() {
  std::vector<int64_t> resumable;
  for (auto& [rowid, job] : jobs_) {
    if (job.waiting_for_stream) resumable.push_back(rowid);
  }
  for (int64_t rowid : resumable) {
    auto it = jobs_.find(rowid);
    if (it == jobs_.end()) continue;
    it->second.waiting_for_stream = false;
    RequestSlot(it->second);
  }
}

}  // namespace timd::domain
