// tim.v1.Timd on the gRPC callback API. Handlers run on gRPC threads and
// never block: each call is copied into a task posted to the loop thread,
// which calls the domain Backend; the completion finishes the call (from the
// loop thread, which the callback API allows).
#pragma once

#include <grpcpp/grpcpp.h>

#include <cstddef>
#include <memory>
#include <string>

#include "api/peer_registry.h"
#include "api/subscribe_reactor.h"
#include "api/subscriber_limits.h"
#include "common/loop_queue.h"
#include "domain/backend.h"
#include "tim/v1/timd.grpc.pb.h"

namespace timd::api {

class PendingCalls;

class TimdService final : public tim::v1::Timd::CallbackService {
 public:
  // `max_subscribers_per_caller`: see SubscriberLimits.
  TimdService(LoopQueue& loop, domain::Backend& backend, const PeerRegistry& peers,
              size_t max_subscribers_per_caller);
  ~TimdService() override;

  // Any thread. Fails every unary call still waiting for the backend and
  // ends every Subscribe stream with UNAVAILABLE; later calls fail at once.
  // Afterwards no call waits for the loop thread, so grpc::Server::Shutdown
  // cannot block on it.
  void BeginShutdown();

  grpc::ServerUnaryReactor* Login(grpc::CallbackServerContext* ctx, const tim::v1::LoginRequest* request,
                                  tim::v1::LoginResponse* response) override;
  grpc::ServerUnaryReactor* Logout(grpc::CallbackServerContext* ctx, const tim::v1::LogoutRequest* request,
                                   tim::v1::LogoutResponse* response) override;
  grpc::ServerUnaryReactor* GetLoginStatus(grpc::CallbackServerContext* ctx,
                                           const tim::v1::GetLoginStatusRequest* request,
                                           tim::v1::GetLoginStatusResponse* response) override;
  grpc::ServerUnaryReactor* SendMessage(grpc::CallbackServerContext* ctx,
                                        const tim::v1::SendMessageRequest* request,
                                        tim::v1::SendMessageResponse* response) override;
  grpc::ServerUnaryReactor* GetMessages(grpc::CallbackServerContext* ctx,
                                        const tim::v1::GetMessagesRequest* request,
                                        tim::v1::GetMessagesResponse* response) override;
  grpc::ServerUnaryReactor* ListConversations(grpc::CallbackServerContext* ctx,
                                              const tim::v1::ListConversationsRequest* request,
                                              tim::v1::ListConversationsResponse* response) override;
  grpc::ServerWriteReactor<tim::v1::Event>* Subscribe(grpc::CallbackServerContext* ctx,
                                                      const tim::v1::SubscribeRequest* request) override;
  grpc::ServerUnaryReactor* AckEvents(grpc::CallbackServerContext* ctx, const tim::v1::AckEventsRequest* request,
                                      tim::v1::AckEventsResponse* response) override;

 private:
  // `invoke(backend, request, done)` runs on the loop thread.
  template <typename Request, typename Response, typename Invoke>
  grpc::ServerUnaryReactor* Unary(const char* method, grpc::CallbackServerContext* ctx, const Request* request,
                                  Response* response, Invoke invoke);
  void LogCall(const char* method, grpc::CallbackServerContext* ctx) const;
  // "uid:N" for a Unix-socket peer, "tcp" for the TCP listener's callers.
  std::string CallerOf(grpc::CallbackServerContext* ctx) const;

  LoopQueue& loop_;
  domain::Backend& backend_;
  const PeerRegistry& peers_;
  SubscriberLimits subscribers_;
  // Shared with posted tasks, which may outlive a call.
  const std::shared_ptr<PendingCalls> pending_;
  const std::shared_ptr<StreamSet> streams_;
};

}  // namespace timd::api
