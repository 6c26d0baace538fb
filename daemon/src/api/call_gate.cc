#include "api/call_gate.h"

namespace timd::api {

CallGate::CallGate(LoopQueue& loop, const PeerRegistry& peers, const CallerLimits& limits)
    : loop_(loop),
      peers_(peers),
      subscribers_(limits.max_subscribers),
      calls_(limits.max_calls),
      request_bytes_(limits.max_request_bytes),
      pending_(std::make_shared<PendingCalls>()),
      streams_(std::make_shared<StreamSet>()) {}

void CallGate::BeginShutdown() {
  pending_->CloseAll(ShuttingDownStatus());
  streams_->CloseAll(ShuttingDownStatus());
}

void CallGate::LogCall(const char* method, grpc::CallbackServerContext* ctx) const {
  if (!spdlog::should_log(spdlog::level::debug)) return;
  std::string peer = ctx->peer();
  if (auto creds = peers_.LookupPeer(peer)) {
    spdlog::debug("api: {} from uid={} pid={}", method, creds->uid, creds->pid);
  } else {
    spdlog::debug("api: {} from {}", method, peer);
  }
}

void CallGate::LogRefusal(const std::string& line) {
  std::lock_guard<std::mutex> lock(refusal_log_mu_);
  if (auto note = refusal_log_.Admit()) spdlog::warn("{}{}", line, *note);
}

std::string CallGate::CallerOf(grpc::CallbackServerContext* ctx) const {
  if (auto creds = peers_.LookupPeer(ctx->peer())) return "uid:" + std::to_string(creds->uid);
  return "tcp";
}

Status CallGate::TakeCallBudget(grpc::CallbackServerContext* ctx, size_t request_bytes,
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

Result<std::unique_ptr<CallerBudget::Slot>> CallGate::TakeStreamSlot(grpc::CallbackServerContext* ctx) {
  std::string caller = CallerOf(ctx);
  auto slot = subscribers_.TryAcquire(caller);
  if (slot) return slot;
  LogRefusal("api: refused a Subscribe stream from " + caller + ": " +
             std::to_string(subscribers_.max_per_caller()) + " streams open");
  return Status(Code::kResourceExhausted, tim_err::kCallFrequencyLimit,
                "too many Subscribe streams from this caller (" + caller + " has " +
                    std::to_string(subscribers_.max_per_caller()) +
                    " open; limit [api] max_subscribers_per_caller): close one first");
}

}  // namespace timd::api
