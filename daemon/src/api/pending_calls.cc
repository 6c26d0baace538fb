#include "api/pending_calls.h"

#include <utility>

#include "api/grpc_status.h"

namespace timd::api {

std::shared_ptr<PendingCalls::Call> PendingCalls::Add(grpc::CallbackServerContext* ctx,
                                                      grpc::ServerUnaryReactor* reactor,
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

void PendingCalls::Finish(const std::shared_ptr<Call>& call, const std::function<Status()>& outcome) {
  if (call->claimed.exchange(true)) return;
  Status status = outcome();
  call->budget.clear();
  {
    std::lock_guard<std::mutex> lock(mu_);
    calls_.erase(call);
  }
  call->reactor->Finish(FinishStatus(call->ctx, status));
}

void PendingCalls::CloseAll(const Status& status) {
  std::vector<std::shared_ptr<Call>> open;
  {
    std::lock_guard<std::mutex> lock(mu_);
    closed_ = true;
    open.assign(calls_.begin(), calls_.end());
  }
  for (auto& call : open) Finish(call, [&] { return status; });
}

}  // namespace timd::api
