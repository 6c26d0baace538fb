// HTTP transfers for the loop thread: uploads (PUT from a file, e.g. to an
// XEP-0363 slot) and downloads (GET to a file), many at once, on libcurl's
// multi interface driven by the libuv loop. Nothing blocks the loop except
// the file reads and writes of each chunk; no thread per transfer.
//
// Every method and callback runs on the loop thread.
#pragma once

#include <uv.h>

#include <memory>
#include <unordered_map>
#include <vector>

#include "common/timer.h"
#include "http/curl_multi_loop.h"
#include "http/transfer.h"

namespace timd::http {

class TransferJob;

class TransferEngine {
 public:
  TransferEngine(uv_loop_t* loop, EngineOptions options = {});
  // Ends every transfer without calling its callbacks; a download's temp
  // file is removed, unless its body was complete and is being committed.
  // Not inside an on_progress callback.
  ~TransferEngine();
  TransferEngine(const TransferEngine&) = delete;
  TransferEngine& operator=(const TransferEngine&) = delete;

  // Start a transfer. A transfer that cannot start (unreadable file,
  // unusable URL) still gets an id; its on_done reports why, from the loop.
  TransferId StartUpload(const UploadSpec& spec, TransferCallbacks callbacks);
  TransferId StartDownload(const DownloadSpec& spec, TransferCallbacks callbacks);

  // Ends the transfer without further callbacks (a partial download is
  // removed). False when `id` is unknown or already done (a download whose
  // body is complete is done: only its fsync and rename remain). Allowed
  // inside any callback.
  bool Cancel(TransferId id);

  size_t active_transfers() const { return jobs_.size(); }

 private:
  TransferId Launch(std::unique_ptr<TransferJob> job, bool prepared);
  void OnCurlDone(CURL* easy, CURLcode code);
  void DeliverStartFailures();
  void Drop(TransferJob& job);
  void Deliver(TransferJob& job, const TransferResult& result);

  uv_loop_t* loop_;
  EngineOptions options_;
  int callback_depth_ = 0;
  TransferId next_id_ = 1;
  std::unordered_map<TransferId, std::unique_ptr<TransferJob>> jobs_;
  std::vector<TransferId> start_failures_;
  Timer start_failure_timer_;
  CurlMultiLoop multi_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace timd::http
