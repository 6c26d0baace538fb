#include "support/upload_session.h"

#include <fstream>
#include <random>
#include <stdexcept>

namespace timd::test {

UploadSession::UploadSession(ProsodyServer& prosody, const std::string& user) {
  uv_loop_init(&loop_);
  const std::string password = user + "-pw";
  prosody.AddUser(user, password);
  xmpp::ClientOptions options;
  options.transport.host = "127.0.0.1";
  options.transport.port = prosody.c2s_port();
  options.transport.tls_server_name = prosody.domain();
  options.transport.ca_file = prosody.ca_file();
  options.domain = prosody.domain();
  options.username = user;
  options.password = password;
  options.resource = "transfer";
  xmpp::Client::Callbacks callbacks;
  callbacks.on_online = [this](const xmpp::Jid&) { online_ = true; };
  callbacks.on_closed = [this](const xmpp::ClientCloseInfo& info) { closed_ = info; };
  client_ = std::make_unique<xmpp::Client>(&loop_, options, callbacks);
  client_->Connect();
  RunUntil([&] { return online_ || closed_.has_value(); }, std::chrono::seconds(10));
  if (!online_) throw std::runtime_error("login failed: " + closed_->detail);
  upload_ = std::make_unique<xmpp::HttpUpload>(*client_);
  http::EngineOptions engine_options;
  engine_options.extra_ca_file = prosody.ca_file();
  engine_ = std::make_unique<http::TransferEngine>(&loop_, engine_options);
}

UploadSession::~UploadSession() {
  engine_.reset();
  upload_.reset();
  if (client_ && client_->state() == xmpp::ClientState::kOnline) {
    client_->Disconnect();
    try {
      RunUntil([&] { return client_->state() == xmpp::ClientState::kDisconnected; }, std::chrono::seconds(5));
    } catch (const std::exception&) {
      // The server went away first: closing below is all that is left.
    }
  }
  client_.reset();
  uv_run(&loop_, UV_RUN_DEFAULT);
  uv_loop_close(&loop_);
}

void UploadSession::RunUntil(const std::function<bool()>& done, std::chrono::seconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  uv_timer_t tick;
  uv_timer_init(&loop_, &tick);
  // The tick bounds each turn, so `done` and the deadline are checked often.
  uv_timer_start(&tick, [](uv_timer_t*) {}, 10, 10);
  while (!done() && std::chrono::steady_clock::now() < deadline) uv_run(&loop_, UV_RUN_ONCE);
  uv_close(reinterpret_cast<uv_handle_t*>(&tick), nullptr);
  uv_run(&loop_, UV_RUN_NOWAIT);
  if (!done()) throw std::runtime_error("timed out waiting on the loop");
}

xmpp::ServiceDiscovery UploadSession::Discover() {
  std::optional<xmpp::ServiceDiscovery> answer;
  upload_->DiscoverService([&](const xmpp::ServiceDiscovery& result) { answer = result; });
  RunUntil([&] { return answer.has_value(); });
  return *answer;
}

xmpp::SlotResult UploadSession::RequestSlot(const xmpp::UploadService& service, const xmpp::UploadRequest& request) {
  std::optional<xmpp::SlotResult> answer;
  upload_->RequestSlot(service, request, [&](const xmpp::SlotResult& result) { answer = result; });
  RunUntil([&] { return answer.has_value(); });
  return *answer;
}

TransferOutcome UploadSession::Transfer(const std::function<http::TransferId(http::TransferCallbacks)>& start) {
  TransferOutcome outcome;
  bool done = false;
  http::TransferCallbacks callbacks;
  callbacks.on_progress = [&outcome](const http::TransferProgress& progress) {
    outcome.progress.push_back(progress);
    outcome.progress_times.push_back(std::chrono::steady_clock::now());
  };
  callbacks.on_done = [&](const http::TransferResult& result) {
    outcome.result = result;
    done = true;
  };
  start(std::move(callbacks));
  RunUntil([&] { return done; }, std::chrono::seconds(300));
  return outcome;
}

TransferOutcome UploadSession::Upload(const http::UploadSpec& spec) {
  return Transfer([&](http::TransferCallbacks callbacks) { return engine_->StartUpload(spec, std::move(callbacks)); });
}

TransferOutcome UploadSession::Download(const http::DownloadSpec& spec) {
  return Transfer([&](http::TransferCallbacks callbacks) { return engine_->StartDownload(spec, std::move(callbacks)); });
}

void WriteRandomFile(const std::string& path, uint64_t size, uint32_t seed) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  std::mt19937_64 random(seed);
  std::vector<uint64_t> chunk(64 * 1024 / sizeof(uint64_t));
  for (uint64_t left = size; left > 0;) {
    for (auto& word : chunk) word = random();
    const uint64_t n = std::min<uint64_t>(left, chunk.size() * sizeof(uint64_t));
    out.write(reinterpret_cast<const char*>(chunk.data()), static_cast<std::streamsize>(n));
    left -= n;
  }
  if (!out) throw std::runtime_error("cannot write " + path);
}

}  // namespace timd::test
