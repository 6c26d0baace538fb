#include "api/subscriber_limits.h"

#include <utility>

namespace timd::api {

struct SubscriberLimits::Slot::Counts {
  std::mutex mu;
  std::unordered_map<std::string, size_t> open;  // callers with at least one slot
};

SubscriberLimits::Slot::Slot(std::shared_ptr<Counts> counts, std::string caller)
    : counts_(std::move(counts)), caller_(std::move(caller)) {}

SubscriberLimits::Slot::~Slot() {
  std::lock_guard<std::mutex> lock(counts_->mu);
  auto it = counts_->open.find(caller_);
  if (it != counts_->open.end() && --it->second == 0) counts_->open.erase(it);
}

SubscriberLimits::SubscriberLimits(size_t max_per_caller)
    : max_per_caller_(max_per_caller), counts_(std::make_shared<Slot::Counts>()) {}

std::unique_ptr<SubscriberLimits::Slot> SubscriberLimits::TryAcquire(const std::string& caller) {
  {
    std::lock_guard<std::mutex> lock(counts_->mu);
    size_t& open = counts_->open[caller];
    if (open >= max_per_caller_) return nullptr;
    ++open;
  }
  return std::unique_ptr<Slot>(new Slot(counts_, caller));
}

}  // namespace timd::api
