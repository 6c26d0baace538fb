// An in-process XMPP account on a fixture Prosody with HTTP upload: one
// libuv loop, an xmpp::Client logged in, xmpp::HttpUpload for discovery and
// slots, and an http::TransferEngine trusting the fixture's certificate.
// Every call runs the loop until its answer comes (or a timeout throws).
// For the transfer tests and benchmarks.
#pragma once

#include <uv.h>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "http/transfer.h"
#include "http/transfer_engine.h"
#include "support/prosody_fixture.h"
#include "xmpp/client.h"
#include "xmpp/http_upload.h"

namespace timd::test {

struct TransferOutcome {
  http::TransferResult result;
  std::vector<http::TransferProgress> progress;
  std::vector<std::chrono::steady_clock::time_point> progress_times;
};

class UploadSession {
 public:
  // Logs `user` (created here) in; throws when that fails.
  UploadSession(ProsodyServer& prosody, const std::string& user);
  ~UploadSession();
  UploadSession(const UploadSession&) = delete;
  UploadSession& operator=(const UploadSession&) = delete;

  xmpp::ServiceDiscovery Discover();
  xmpp::SlotResult RequestSlot(const xmpp::UploadService& service, const xmpp::UploadRequest& request);
  TransferOutcome Upload(const http::UploadSpec& spec);
  TransferOutcome Download(const http::DownloadSpec& spec);

  // Runs the loop until `done` or `timeout` (then throws).
  void RunUntil(const std::function<bool()>& done, std::chrono::seconds timeout = std::chrono::seconds(60));
  uv_loop_t* loop() { return &loop_; }
  http::TransferEngine& engine() { return *engine_; }

 private:
  TransferOutcome Transfer(const std::function<http::TransferId(http::TransferCallbacks)>& start);

  uv_loop_t loop_;
  bool online_ = false;
  std::optional<xmpp::ClientCloseInfo> closed_;
  std::unique_ptr<xmpp::Client> client_;
  std::unique_ptr<xmpp::HttpUpload> upload_;
  std::unique_ptr<http::TransferEngine> engine_;
};

// A file of `size` pseudo-random bytes (seeded), written in chunks.
void WriteRandomFile(const std::string& path, uint64_t size, uint32_t seed = 1);

}  // namespace timd::test
