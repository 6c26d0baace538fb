// Unary calls not finished yet. Exactly one party finishes each call: the
// domain's completion or CallGate::BeginShutdown, whichever claims it first.
#pragma once

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <unordered_set>
#include <vector>

#include "api/caller_budget.h"
#include "common/status.h"

namespace timd::api {

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
                            std::vector<std::unique_ptr<CallerBudget::Slot>> budget);
  // `outcome` fills the response (only if this claim wins) and returns the
  // status to finish with.
  void Finish(const std::shared_ptr<Call>& call, const std::function<Status()>& outcome);
  // Finishes every call with `status`; later Add()s return nullptr.
  void CloseAll(const Status& status);

 private:
  std::mutex mu_;
  bool closed_ = false;
  std::unordered_set<std::shared_ptr<Call>> calls_;
};

}  // namespace timd::api
