#include "api/timd_service.h"

#include <spdlog/spdlog.h>

#include <atomic>
#include <exception>
#include <functional>
#include <mutex>
#include <unordered_set>
#include <utility>
#include <vector>

#include "api/grpc_status.h"
#include "api/raw_messages.h"

namespace timd::api {

// Unary calls not finished yet. Exactly one party finishes each call: the
// backend's completion or BeginShutdown, whichever claims it first.
class PendingCalls {
 public:
  struct Call {
    grpc::CallbackServerContext* ctx;
    grpc::ServerUnaryReactor* reactor;
    std::vector<std::unique_ptr<CallerBudget::Slot>> budget;  // given back when the call finishes
    std::atomic<bool> claimed{false};
  };

  // nullptr once closed.
  std::shared_ptr<Call> Add(grpc::CallbackServerContext* ctx, grpc::ServerUnaryReactor* reactor,
                            std::vector<std::unique_ptr<CallerBudget::Slot>> budget) {
    auto call = std::make_shared<Call>();
    call->ctx = ctx;
    call->reactor = reactor;
    call->budget = std::move(budget);
    std::lock_guard<std::mutex> lock(mu_);
    if (closed_) return nullptr;
    calls_.insert(call);
    return call;
  }

  // `outcome` fills the response (only if this claim wins) and returns the
  // status to finish with.
  void Finish(const std::shared_ptr<Call>& call, const std::function<Status()>& outcome) {
    if (call->claimed.exchange(true)) return;
    Status status = outcome();
    call->budget.clear();
    {
      std::lock_guard<std::mutex> lock(mu_);
      calls_.erase(call);
    }
    call->reactor->Finish(FinishStatus(call->ctx, status));
  }

  void CloseAll(const Status& status) {
    std::vector<std::shared_ptr<Call>> open;
    {
      std::lock_guard<std::mutex> lock(mu_);
      closed_ = true;
      open.assign(calls_.begin(), calls_.end());
    }
    for (auto& call : open) Finish(call, [&] { return status; });
  }

 private:
  std::mutex mu_;
  bool closed_ = false;
  std::unordered_set<std::shared_ptr<Call>> calls_;
};

TimdService::TimdService(LoopQueue& loop, domain::Backend& backend, const PeerRegistry& peers,
                         const CallerLimits& limits)
    : loop_(loop),
      backend_(backend),
      peers_(peers),
      subscribers_(limits.max_subscribers),
      calls_(limits.max_calls),
      request_bytes_(limits.max_request_bytes),
      pending_(std::make_shared<PendingCalls>()),
      streams_(std::make_shared<StreamSet>()) {}

TimdService::~TimdService() = default;

void TimdService::BeginShutdown() {
  pending_->CloseAll(ShuttingDownStatus());
  streams_->CloseAll(ShuttingDownStatus());
}

void TimdService::LogCall(const char* method, grpc::CallbackServerContext* ctx) const {
  if (!spdlog::should_log(spdlog::level::debug)) return;
  std::string peer = ctx->peer();
  if (auto creds = peers_.LookupPeer(peer)) {
    spdlog::debug("api: {} from uid={} pid={}", method, creds->uid, creds->pid);
  } else {
    spdlog::debug("api: {} from {}", method, peer);
  }
}

void TimdService::LogRefusal(const std::string& line) {
  std::lock_guard<std::mutex> lock(refusal_log_mu_);
  if (auto note = refusal_log_.Admit()) spdlog::warn("{}{}", line, *note);
}

std::string TimdService::CallerOf(grpc::CallbackServerContext* ctx) const {
  if (auto creds = peers_.LookupPeer(ctx->peer())) return "uid:" + std::to_string(creds->uid);
  return "tcp";
}

Status TimdService::TakeCallBudget(grpc::CallbackServerContext* ctx, size_t request_bytes,
                                   std::vector<std::unique_ptr<CallerBudget::Slot>>& budget) {
  std::string caller = CallerOf(ctx);
  auto call = calls_.TryAcquire(caller);
  auto bytes = call ? request_bytes_.TryAcquire(caller, request_bytes) : nullptr;
  if (bytes) {
    budget.push_back(std::move(call));
    budget.push_back(std::move(bytes));
    return Status::Ok();
  }
  const std::string limit =
      call ? std::to_string(request_bytes_.max_per_caller()) + " bytes of requests in flight (a quarter of [api] "
                                                               "memory_limit_mb, at least max_message_bytes)"
           : std::to_string(calls_.max_per_caller()) + " calls in flight ([api] max_calls_per_caller)";
  LogRefusal("api: refused a call from " + caller + ": limit of " + limit + " reached");
  return Status(Code::kResourceExhausted, tim_err::kCallFrequencyLimit,
                "too many calls in flight from this caller (" + caller + " reached its limit of " + limit +
                    "): wait for some to finish");
}

template <typename Request, typename Response, typename Invoke>
grpc::ServerUnaryReactor* TimdService::Unary(const char* method, grpc::CallbackServerContext* ctx,
                                             const grpc::ByteBuffer* raw_request, grpc::ByteBuffer* raw_response,
                                             Invoke invoke) {
  grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
  LogCall(method, ctx);
  // The request lives as long as the completion, so an asynchronous backend
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
  domain::Backend* backend = &backend_;
  bool posted = loop_.Post([backend, req, raw_response, call, pending, invoke, method] {
    if (call->claimed) return;  // failed by shutdown while queued
    domain::Done<Response> done = [req, raw_response, call, pending](Result<Response> result) {
      pending->Finish(call,
                      [&] { return result.ok() ? SerializeResponse(result.value(), *raw_response) : result.status(); });
    };
    try {
      invoke(*backend, std::as_const(*req), std::move(done));
    } catch (const std::exception& e) {
      spdlog::error("api: {} failed: {}", method, e.what());
      pending->Finish(call, [] { return Status(Code::kInternal, tim_err::kSdkInternalError, "internal error"); });
    }
  });
  if (!posted) pending_->Finish(call, [] { return ShuttingDownStatus(); });
  return reactor;
}

grpc::ServerUnaryReactor* TimdService::Login(grpc::CallbackServerContext* ctx, const grpc::ByteBuffer* request,
                                             grpc::ByteBuffer* response) {
  return Unary<tim::v1::LoginRequest, tim::v1::LoginResponse>(
      "Login", ctx, request, response,
      [](domain::Backend& b, const auto& req, auto done) { b.Login(req, std::move(done)); });
}

grpc::ServerUnaryReactor* TimdService::Logout(grpc::CallbackServerContext* ctx, const grpc::ByteBuffer* request,
                                              grpc::ByteBuffer* response) {
  return Unary<tim::v1::LogoutRequest, tim::v1::LogoutResponse>(
      "Logout", ctx, request, response, [](domain::Backend& b, const auto&, auto done) { b.Logout(std::move(done)); });
}

grpc::ServerUnaryReactor* TimdService::GetLoginStatus(grpc::CallbackServerContext* ctx, const grpc::ByteBuffer* request,
                                                      grpc::ByteBuffer* response) {
  return Unary<tim::v1::GetLoginStatusRequest, tim::v1::GetLoginStatusResponse>(
      "GetLoginStatus", ctx, request, response,
      [](domain::Backend& b, const auto&, auto done) { done(b.GetLoginStatus()); });
}

grpc::ServerUnaryReactor* TimdService::SendMessage(grpc::CallbackServerContext* ctx, const grpc::ByteBuffer* request,
                                                   grpc::ByteBuffer* response) {
  return Unary<tim::v1::SendMessageRequest, tim::v1::SendMessageResponse>(
      "SendMessage", ctx, request, response,
      [](domain::Backend& b, const auto& req, auto done) { b.SendMessage(req, std::move(done)); });
}

grpc::ServerUnaryReactor* TimdService::GetMessages(grpc::CallbackServerContext* ctx, const grpc::ByteBuffer* request,
                                                   grpc::ByteBuffer* response) {
  return Unary<tim::v1::GetMessagesRequest, tim::v1::GetMessagesResponse>(
      "GetMessages", ctx, request, response,
      [](domain::Backend& b, const auto& req, auto done) { done(b.GetMessages(req)); });
}

grpc::ServerUnaryReactor* TimdService::ListConversations(grpc::CallbackServerContext* ctx,
                                                         const grpc::ByteBuffer* request, grpc::ByteBuffer* response) {
  return Unary<tim::v1::ListConversationsRequest, tim::v1::ListConversationsResponse>(
      "ListConversations", ctx, request, response,
      [](domain::Backend& b, const auto& req, auto done) { done(b.ListConversations(req)); });
}

grpc::ServerWriteReactor<grpc::ByteBuffer>* TimdService::Subscribe(grpc::CallbackServerContext* ctx,
                                                                   const grpc::ByteBuffer* raw_request) {
  LogCall("Subscribe", ctx);
  tim::v1::SubscribeRequest request;
  if (Status parsed = ParseRequest(*raw_request, request); !parsed.ok()) {
    return SubscribeReactor::Refuse(ctx, loop_, streams_, parsed);
  }
  std::string caller = CallerOf(ctx);
  auto slot = subscribers_.TryAcquire(caller);
  if (!slot) {
    LogRefusal("api: refused a Subscribe stream from " + caller + ": " +
               std::to_string(subscribers_.max_per_caller()) + " streams open");
    return SubscribeReactor::Refuse(
        ctx, loop_, streams_,
        Status(Code::kResourceExhausted, tim_err::kCallFrequencyLimit,
               "too many Subscribe streams from this caller (" + caller + " has " +
                   std::to_string(subscribers_.max_per_caller()) +
                   " open; limit [api] max_subscribers_per_caller): close one first"));
  }
  return SubscribeReactor::Create(ctx, request, loop_, backend_, streams_, std::move(slot));
}

grpc::ServerUnaryReactor* TimdService::AckEvents(grpc::CallbackServerContext* ctx, const grpc::ByteBuffer* request,
                                                 grpc::ByteBuffer* response) {
  return Unary<tim::v1::AckEventsRequest, tim::v1::AckEventsResponse>(
      "AckEvents", ctx, request, response, [](domain::Backend& b, const auto& req, auto done) {
        b.consumers().Ack(req.consumer(), req.seq(), [done = std::move(done)](Result<uint64_t> stored) {
          if (!stored.ok()) return done(stored.status());
          tim::v1::AckEventsResponse response;
          response.set_seq(stored.value());
          done(std::move(response));
        });
      });
}

}  // namespace timd::api
