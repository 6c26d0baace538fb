#include "pending_calls.h"

#include <vector>

namespace timclient {

bool PendingCalls::Begin(const std::shared_ptr<grpc::ClientContext>& ctx) {
  std::lock_guard lock(mu_);
  if (closed_) return false;
  calls_.emplace(ctx.get(), ctx);
  return true;
}

void PendingCalls::End(const grpc::ClientContext* ctx) {
  std::lock_guard lock(mu_);
  calls_.erase(ctx);
  if (calls_.empty()) cv_.notify_all();
}

void PendingCalls::CloseAndWait() {
  std::vector<std::shared_ptr<grpc::ClientContext>> in_flight;
  {
    std::lock_guard lock(mu_);
    closed_ = true;
    for (const auto& [raw, ctx] : calls_) in_flight.push_back(ctx);
  }
  // Outside the lock: a cancelled call may complete inline and call End().
  for (const auto& ctx : in_flight) ctx->TryCancel();
  std::unique_lock lock(mu_);
  cv_.wait(lock, [this] { return calls_.empty(); });
}

}  // namespace timclient
