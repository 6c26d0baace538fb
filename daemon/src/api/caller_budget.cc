#include "api/caller_budget.h"

#include <utility>

namespace timd::api {

struct CallerBudget::Slot::Counts {
  std::mutex mu;
  std::unordered_map<std::string, size_t> held;  // callers holding more than 0
};

CallerBudget::Slot::Slot(std::shared_ptr<Counts> counts, std::string caller, size_t amount)
    : counts_(std::move(counts)), caller_(std::move(caller)), amount_(amount) {}

CallerBudget::Slot::~Slot() {
  std::lock_guard<std::mutex> lock(counts_->mu);
  auto it = counts_->held.find(caller_);
  if (it == counts_->held.end()) return;
  it->second -= amount_;
  if (it->second == 0) counts_->held.erase(it);
}

CallerBudget::CallerBudget(size_t max_per_caller)
    : max_per_caller_(max_per_caller), counts_(std::make_shared<Slot::Counts>()) {}

std::unique_ptr<CallerBudget::Slot> CallerBudget::TryAcquire(const std::string& caller, size_t amount) {
  {
    std::lock_guard<std::mutex> lock(counts_->mu);
    size_t& held = counts_->held[caller];
    if (amount > max_per_caller_ - held) {
      if (held == 0) counts_->held.erase(caller);
      return nullptr;
    }
    held += amount;
  }
  return std::unique_ptr<Slot>(new Slot(counts_, caller, amount));
}

}  // namespace timd::api
