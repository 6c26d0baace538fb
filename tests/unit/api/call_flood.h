// Test helpers for the API's resource limits: channels with a connection of
// their own, and a flood of concurrent SendMessage calls started at once on
// gRPC's callback API, every one with a deadline so nothing can hang.
#pragma once

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "tim/v1/messages.pb.h"
#include "timd/api_stubs.h"

namespace timd::api::test_support {

// Channels to one target share a connection unless each has its own
// subchannel pool.
inline std::shared_ptr<grpc::Channel> OwnConnection(const std::string& socket_path) {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  return grpc::CreateCustomChannel("unix:" + socket_path, grpc::InsecureChannelCredentials(), args);
}

class CallFlood {
 public:
  // Starts `count` SendMessage calls to `conv_id`, each carrying a text of
  // `text_bytes`, all ending by `deadline` at the latest.
  CallFlood(const std::shared_ptr<grpc::Channel>& channel, size_t count, const std::string& conv_id,
            size_t text_bytes, std::chrono::system_clock::time_point deadline)
      : stub_(std::make_unique<timd::ApiStubs>(channel)) {
    tim::v1::SendMessageRequest request;
    request.set_conv_id(conv_id);
    request.add_elems()->mutable_text()->set_content(std::string(text_bytes, 'x'));
    calls_.reserve(count);
    for (size_t i = 0; i < count; ++i) {
      auto call = std::make_unique<Call>();
      call->ctx.set_deadline(deadline);
      call->request = request;
      calls_.push_back(std::move(call));
    }
    for (auto& call : calls_) {
      stub_->messages->async()->SendMessage(&call->ctx, &call->request, &call->response,
                                  [this](grpc::Status status) { OnDone(status); });
    }
  }
  ~CallFlood() {
    CancelAll();
    WaitAllDone(std::chrono::seconds(30));
  }
  CallFlood(const CallFlood&) = delete;
  CallFlood& operator=(const CallFlood&) = delete;

  // Newest first, so that calls queued in the client go before the ones
  // they wait for (which would let them start).
  void CancelAll() {
    for (auto it = calls_.rbegin(); it != calls_.rend(); ++it) (*it)->ctx.TryCancel();
  }

  bool WaitAllDone(std::chrono::milliseconds timeout) {
    std::unique_lock<std::mutex> lock(mu_);
    return cv_.wait_for(lock, timeout, [&] { return done_ == calls_.size(); });
  }

  size_t done() {
    std::lock_guard<std::mutex> lock(mu_);
    return done_;
  }

  // How many calls ended with each status code so far.
  std::map<grpc::StatusCode, size_t> codes() {
    std::lock_guard<std::mutex> lock(mu_);
    return codes_;
  }

  // The message of one call that ended with `code` ("" if none did).
  std::string message_of(grpc::StatusCode code) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = messages_.find(code);
    return it == messages_.end() ? "" : it->second;
  }

 private:
  struct Call {
    grpc::ClientContext ctx;
    tim::v1::SendMessageRequest request;
    tim::v1::SendMessageResponse response;
  };

  void OnDone(const grpc::Status& status) {
    std::lock_guard<std::mutex> lock(mu_);
    ++codes_[status.error_code()];
    messages_.emplace(status.error_code(), status.error_message());
    if (++done_ == calls_.size()) cv_.notify_all();
  }

  std::unique_ptr<timd::ApiStubs> stub_;
  std::vector<std::unique_ptr<Call>> calls_;
  std::mutex mu_;
  std::condition_variable cv_;
  size_t done_ = 0;
  std::map<grpc::StatusCode, size_t> codes_;
  std::map<grpc::StatusCode, std::string> messages_;
};

}  // namespace timd::api::test_support
