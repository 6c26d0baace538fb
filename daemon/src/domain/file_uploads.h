// The uploads of outgoing messages' files (mapping §5): for each image,
// sound, file or video element still without a URL (and a video's snapshot
// after its video), an XEP-0363 slot from
// the server's upload service, then an HTTP PUT streamed from the local
// file (http::TransferEngine: libcurl multi on the loop, no thread per
// transfer). Progress goes out as MSG_UPLOAD_PROGRESS events (about 10 per
// second per file, plus the 100 % one); a video and its snapshot report as
// one upload of both sizes under the element's index. Each file's URL goes
// to `partly_uploaded` as soon as another file of the message follows (a
// restart then uploads only the files still without one: e.g. a video's
// snapshot, not the video again). When every file of a message is up,
// its content (with URLs, sizes and SHA-256) goes to `finished`; a failure
// goes there too, with TIM's code: 7005 for a file the service refuses as
// too large, 6006 for a PUT refused with 401/403, 6008 for anything else.
//
// A slot needs the XMPP stream; the PUT does not. Files whose turn comes
// while the stream is down wait for the next one (set_upload).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "domain/user_ids.h"
#include "events/event_bus.h"
#include "http/transfer_engine.h"
#include "store/message_store.h"
#include "tim/v1/common.pb.h"
#include "xmpp/http_upload.h"

namespace timd::domain {

class FileUploads {
 public:
  using Finished = std::function<void(int64_t rowid, Result<tim::v1::Message> uploaded)>;
  // The content of `rowid` with the URLs of the files up so far, while
  // more of its files are still to go.
  using PartlyUploaded = std::function<void(int64_t rowid, const tim::v1::Message& content)>;

  // `engine` (shared with downloads) must outlive this.
  FileUploads(http::TransferEngine& engine, events::EventBus& bus, const UserIds& ids, Finished finished,
              PartlyUploaded partly_uploaded);
  ~FileUploads();

  // The current stream's XEP-0363 module once the stream is current, or
  // null when it is lost. A new one is asked for its upload service; then
  // the uploads that waited for a stream go on.
  void set_upload(xmpp::HttpUpload* upload);
  // Runs `then` once it is known whether (and up to what size) the server
  // takes uploads, or at once while there is no stream to ask.
  void WhenServiceKnown(std::function<void()> then);
  // Why the server will not take the files of `content`, when known before
  // anything is stored: no upload service at all (FAILED_PRECONDITION,
  // 7013, naming XEP-0363), or a file over its advertised limit
  // (INVALID_ARGUMENT, 7005). OK when it would, or when unknown (offline).
  Status CheckServiceTakes(const tim::v1::Message& content) const;

  // Uploads every file of `record` still without a URL (`content` is its
  // stored content), one after the other; `finished` reports the outcome.
  void Start(const store::MessageRecord& record, tim::v1::Message content);
  bool Busy(int64_t rowid) const { return jobs_.count(rowid) != 0; }
  // Ends the uploads of `rowid` without reporting them.
  void Cancel(int64_t rowid);

 private:
  struct Job {
    int64_t rowid = 0;
    tim::v1::Message content;  // stored content, URLs filled in as files go up
    tim::v1::Message api;      // the whole message for progress events (status SENDING)
    int index = -1;            // the element being uploaded
    bool snapshot = false;     // its snapshot's file rather than its own
    bool new_urls = false;     // files went up since partly_uploaded last heard
    http::TransferId transfer = 0;
    bool waiting_for_stream = false;
  };
  enum class ServiceState { kUnknown, kDiscovering, kFound, kAbsent };

  void Discover();
  void Next(Job& job);
  // The file of `job` being uploaded: its element's, or that one's snapshot.
  static tim::v1::FileElem& Uploading(Job& job);
  void RequestSlot(Job& job);
  void Put(Job& job, const xmpp::UploadSlot& slot);
  void Fail(int64_t rowid, Status why);
  void PublishProgress(const Job& job, uint64_t done, uint64_t total);
  void ResumeWaiting();

  events::EventBus& bus_;
  const UserIds& ids_;
  Finished finished_;
  PartlyUploaded partly_uploaded_;
  http::TransferEngine& engine_;
  xmpp::HttpUpload* upload_ = nullptr;
  ServiceState service_state_ = ServiceState::kUnknown;
  xmpp::UploadService service_;
  std::vector<std::function<void()>> waiting_for_service_;
  std::map<int64_t, Job> jobs_;  // by message rowid
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace timd::domain
