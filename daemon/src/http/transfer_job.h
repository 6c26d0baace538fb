// One transfer: its libcurl easy handle configured for an upload (PUT from
// a file) or a download (GET to a file), its body source or sink, and the
// conversion of libcurl's outcome into a TransferResult.
#pragma once

#include <curl/curl.h>
#include <uv.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "http/download_sink.h"
#include "http/progress_throttle.h"
#include "http/transfer.h"
#include "http/upload_source.h"

namespace timd::http {

class TransferJob {
 public:
  // `callback_depth`: the engine's count of user callbacks running now
  // (Cancel inside one must not touch libcurl handles).
  TransferJob(TransferId id, TransferCallbacks callbacks, int* callback_depth);
  ~TransferJob();
  TransferJob(const TransferJob&) = delete;
  TransferJob& operator=(const TransferJob&) = delete;

  // Configure the easy handle; false when the transfer cannot start, with
  // the reason in start_failure().
  bool PrepareUpload(const UploadSpec& spec, const EngineOptions& options);
  bool PrepareDownload(const DownloadSpec& spec, const EngineOptions& options);

  // libcurl finished with `code`: commit or discard the body and hand the
  // result to `finished`, at once or (a download's fsync and rename) later
  // from `loop`'s thread pool. The job must live until then.
  void Complete(CURLcode code, uv_loop_t* loop, std::function<void(const TransferResult& result)> finished);
  // The 100 % report a successful `result` still owes, if any.
  std::optional<TransferProgress> FinalProgress(const TransferResult& result) const;

  TransferId id() const { return id_; }
  CURL* easy() const { return easy_; }
  const TransferResult& start_failure() const { return start_failure_; }
  TransferCallbacks& callbacks() { return callbacks_; }
  // Stops user callbacks now; libcurl aborts the transfer at its next callback.
  void MarkCancelled() { cancelled_ = true; }
  bool cancelled() const { return cancelled_; }

 private:
  bool Fail(TransferError error, std::string message);
  TransferResult Failure(CURLcode code, long http_status);
  bool ApplyCommonOptions(const std::string& url, const EngineOptions& options);
  bool AddHeader(const std::string& line);

  static size_t OnRead(char* buffer, size_t size, size_t count, void* job);
  static size_t OnWrite(char* data, size_t size, size_t count, void* job);
  static int OnProgress(void* job, curl_off_t dl_total, curl_off_t dl_now, curl_off_t ul_total, curl_off_t ul_now);
  static CURLcode OnSslContext(CURL* easy, void* ssl_ctx, void* job);

  TransferId id_;
  TransferCallbacks callbacks_;
  int* callback_depth_;
  CURL* easy_ = nullptr;
  curl_slist* headers_ = nullptr;
  std::unique_ptr<UploadSource> source_;
  std::shared_ptr<DownloadSink> sink_;  // shared with a commit on the thread pool
  ProgressThrottle throttle_;
  std::string extra_ca_file_;
  bool cancelled_ = false;
  TransferResult start_failure_;
  char error_buffer_[CURL_ERROR_SIZE] = {};
};

}  // namespace timd::http
