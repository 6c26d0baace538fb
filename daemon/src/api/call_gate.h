// What every tim.v1 service does with a call before and after the domain
// sees it, written once: admission against the caller's budget (CallerBudget),
// parsing the request from bytes (raw_messages.h), the hop onto the loop
// thread, and finishing the call exactly once, also when timd shuts down
// while the call waits. Handlers run on gRPC threads and never block; the
// domain's completion finishes the call from the loop thread, which the
// callback API allows.
#pragma once

#include <grpcpp/grpcpp.h>
#include <spdlog/spdlog.h>

#include <cstddef>
#include <exception>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "api/caller_budget.h"
#include "api/grpc_status.h"
#include "api/peer_registry.h"
#include "api/pending_calls.h"
#include "api/raw_messages.h"
#include "api/subscribe_reactor.h"
#include "common/log_throttle.h"
#include "common/loop_queue.h"
#include "domain/done.h"

namespace timd::api {

// What one caller (see CallerBudget) may hold at once.
struct CallerLimits {
  size_t max_subscribers = 64;          // Subscribe streams
  size_t max_calls = 256;               // unary calls in flight
  size_t max_request_bytes = 32u << 20; // the requests of those calls together
};

class CallGate {
 public:
  // A call beyond `limits` fails at once with RESOURCE_EXHAUSTED.
  CallGate(LoopQueue& loop, const PeerRegistry& peers, const CallerLimits& limits);

  // Any thread. Fails every unary call still waiting for the domain and
  // ends every Subscribe stream with UNAVAILABLE; later calls fail at once.
  // Afterwards no call waits for the loop thread, so grpc::Server::Shutdown
  // cannot block on it.
  void BeginShutdown();

  // Parses `raw_request` as a Request; `invoke(request, done)` runs on the
  // loop thread, and the Response it hands to `done` is serialized into
  // `raw_response`.
  template <typename Request, typename Response, typename Invoke>
  grpc::ServerUnaryReactor* Unary(const char* method, grpc::CallbackServerContext* ctx,
                                  const grpc::ByteBuffer* raw_request, grpc::ByteBuffer* raw_response, Invoke invoke);

  // The caller's place for one more Subscribe stream, or RESOURCE_EXHAUSTED.
  Result<std::unique_ptr<CallerBudget::Slot>> TakeStreamSlot(grpc::CallbackServerContext* ctx);

  void LogCall(const char* method, grpc::CallbackServerContext* ctx) const;
  LoopQueue& loop() { return loop_; }
  const std::shared_ptr<StreamSet>& streams() const { return streams_; }

 private:
  // Takes the caller's share of calls_ and request_bytes_ into `budget`;
  // RESOURCE_EXHAUSTED when the caller holds too much already.
  Status TakeCallBudget(grpc::CallbackServerContext* ctx, size_t request_bytes,
                        std::vector<std::unique_ptr<CallerBudget::Slot>>& budget);
  // A caller flooding the limits must not flood the log.
  void LogRefusal(const std::string& line);
  // "uid:N" for a Unix-socket peer, "tcp" for the TCP listener's callers.
  std::string CallerOf(grpc::CallbackServerContext* ctx) const;

  LoopQueue& loop_;
  const PeerRegistry& peers_;
  CallerBudget subscribers_;
  CallerBudget calls_;
  CallerBudget request_bytes_;
  std::mutex refusal_log_mu_;
  LogThrottle refusal_log_;
  // Shared with posted tasks, which may outlive a call.
  const std::shared_ptr<PendingCalls> pending_;
  const std::shared_ptr<StreamSet> streams_;
};

template <typename Request, typename Response, typename Invoke>
grpc::ServerUnaryReactor* CallGate::Unary(const char* method, grpc::CallbackServerContext* ctx,
                                          const grpc::ByteBuffer* raw_request, grpc::ByteBuffer* raw_response,
                                          Invoke invoke) {
  grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
  LogCall(method, ctx);
  // The request lives as long as the completion, so an asynchronous domain
  // operation never sees a request gRPC has freed (e.g. after shutdown).
  auto req = std::make_shared<Request>();
  if (Status parsed = ParseRequest(*raw_request, *req); !parsed.ok()) {
    reactor->Finish(FinishStatus(ctx, parsed));
    return reactor;
  }
  std::vector<std::unique_ptr<CallerBudget::Slot>> budget;
  if (Status held = TakeCallBudget(ctx, raw_request->Length(), budget); !held.ok()) {
    reactor->Finish(FinishStatus(ctx, held));
    return reactor;
  }
  auto call = pending_->Add(ctx, reactor, std::move(budget));
  if (!call) {
    reactor->Finish(FinishStatus(ctx, ShuttingDownStatus()));
    return reactor;
  }
  std::shared_ptr<PendingCalls> pending = pending_;
  bool posted = loop_.Post([req, raw_response, call, pending, invoke, method] {
    if (call->claimed) return;  // failed by shutdown while queued
    domain::Done<Response> done = [req, raw_response, call, pending](Result<Response> result) {
      pending->Finish(call,
                      [&] { return result.ok() ? SerializeResponse(result.value(), *raw_response) : result.status(); });
    };
    try {
      invoke(std::as_const(*req), std::move(done));
    } catch (const std::exception& e) {
      spdlog::error("api: {} failed: {}", method, e.what());
      pending->Finish(call, [] { return Status(Code::kInternal, tim_err::kSdkInternalError, "internal error"); });
    }
  });
  if (!posted) pending_->Finish(call, [] { return ShuttingDownStatus(); });
  return reactor;
}

}  // namespace timd::api
