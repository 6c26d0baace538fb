// tim.v1.Timd on the gRPC callback API. Handlers run on gRPC threads and
// never block: each call is copied into a task posted to the loop thread,
// which calls the domain Backend; the completion finishes the call (from the
// loop thread, which the callback API allows). Requests arrive as bytes and
// are parsed here (see raw_messages.h); Subscribe's events leave as bytes.
#pragma once

#include <grpcpp/grpcpp.h>

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "api/caller_budget.h"
#include "api/peer_registry.h"
#include "api/subscribe_reactor.h"
#include "common/log_throttle.h"
#include "common/loop_queue.h"
#include "domain/backend.h"
#include "tim/v1/timd.grpc.pb.h"

namespace timd::api {

class PendingCalls;

// What one caller (see CallerBudget) may hold at once.
struct CallerLimits {
  size_t max_subscribers = 64;          // Subscribe streams
  size_t max_calls = 256;               // unary calls in flight
  size_t max_request_bytes = 32u << 20; // the requests of those calls together
};

// Every method raw (bytes in, bytes out).
using TimdServiceBase = tim::v1::Timd::WithRawCallbackMethod_Login<tim::v1::Timd::WithRawCallbackMethod_Logout<
    tim::v1::Timd::WithRawCallbackMethod_GetLoginStatus<tim::v1::Timd::WithRawCallbackMethod_SendMessage<
        tim::v1::Timd::WithRawCallbackMethod_GetMessages<tim::v1::Timd::WithRawCallbackMethod_ListConversations<
            tim::v1::Timd::WithRawCallbackMethod_Subscribe<tim::v1::Timd::WithRawCallbackMethod_AckEvents<
                tim::v1::Timd::CallbackService>>>>>>>>;

class TimdService final : public TimdServiceBase {
 public:
  // A call beyond `limits` fails at once with RESOURCE_EXHAUSTED.
  TimdService(LoopQueue& loop, domain::Backend& backend, const PeerRegistry& peers, const CallerLimits& limits);
  ~TimdService() override;

  // Any thread. Fails every unary call still waiting for the backend and
  // ends every Subscribe stream with UNAVAILABLE; later calls fail at once.
  // Afterwards no call waits for the loop thread, so grpc::Server::Shutdown
  // cannot block on it.
  void BeginShutdown();

  grpc::ServerUnaryReactor* Login(grpc::CallbackServerContext* ctx, const grpc::ByteBuffer* request,
                                  grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* Logout(grpc::CallbackServerContext* ctx, const grpc::ByteBuffer* request,
                                   grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* GetLoginStatus(grpc::CallbackServerContext* ctx, const grpc::ByteBuffer* request,
                                           grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* SendMessage(grpc::CallbackServerContext* ctx, const grpc::ByteBuffer* request,
                                        grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* GetMessages(grpc::CallbackServerContext* ctx, const grpc::ByteBuffer* request,
                                        grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* ListConversations(grpc::CallbackServerContext* ctx, const grpc::ByteBuffer* request,
                                              grpc::ByteBuffer* response) override;
  grpc::ServerWriteReactor<grpc::ByteBuffer>* Subscribe(grpc::CallbackServerContext* ctx,
                                                        const grpc::ByteBuffer* request) override;
  grpc::ServerUnaryReactor* AckEvents(grpc::CallbackServerContext* ctx, const grpc::ByteBuffer* request,
                                      grpc::ByteBuffer* response) override;

 private:
  // Parses `raw_request` as a Request; `invoke(backend, request, done)` runs
  // on the loop thread, and its Response is serialized into `raw_response`.
  template <typename Request, typename Response, typename Invoke>
  grpc::ServerUnaryReactor* Unary(const char* method, grpc::CallbackServerContext* ctx,
                                  const grpc::ByteBuffer* raw_request, grpc::ByteBuffer* raw_response, Invoke invoke);
  void LogCall(const char* method, grpc::CallbackServerContext* ctx) const;
  // Takes the caller's share of calls_ and request_bytes_ into `budget`;
  // RESOURCE_EXHAUSTED when the caller holds too much already.
  Status TakeCallBudget(grpc::CallbackServerContext* ctx, size_t request_bytes,
                        std::vector<std::unique_ptr<CallerBudget::Slot>>& budget);
  // A caller flooding the limits must not flood the log.
  void LogRefusal(const std::string& line);
  // "uid:N" for a Unix-socket peer, "tcp" for the TCP listener's callers.
  std::string CallerOf(grpc::CallbackServerContext* ctx) const;

  LoopQueue& loop_;
  domain::Backend& backend_;
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

}  // namespace timd::api
