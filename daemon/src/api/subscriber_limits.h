// Caps the number of concurrent Subscribe streams per caller, so one local
// user cannot hold thousands of streams (each with its queue) at the cost of
// the others. A caller is a Unix-socket peer uid ("uid:1000"), or the TCP
// listener's token holder ("tcp"): there is one token, so TCP callers share
// one budget.
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace timd::api {

class SubscriberLimits {
 public:
  // A held place in a caller's budget; destroying it gives the place back.
  // May outlive the SubscriberLimits.
  class Slot {
   public:
    ~Slot();
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;

   private:
    friend class SubscriberLimits;
    struct Counts;
    Slot(std::shared_ptr<Counts> counts, std::string caller);
    std::shared_ptr<Counts> counts_;
    std::string caller_;
  };

  explicit SubscriberLimits(size_t max_per_caller);

  // Thread-safe. nullptr when `caller` already holds max_per_caller slots.
  std::unique_ptr<Slot> TryAcquire(const std::string& caller);
  size_t max_per_caller() const { return max_per_caller_; }

 private:
  size_t max_per_caller_;
  std::shared_ptr<Slot::Counts> counts_;
};

}  // namespace timd::api
