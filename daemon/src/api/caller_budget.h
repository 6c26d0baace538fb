// A budget per caller, so one local user cannot hold what the others need:
// CallGate keeps one for Subscribe streams, one for unary calls in flight
// and one for the bytes of their requests. A caller is a Unix-socket peer uid
// ("uid:1000"), or the TCP listener's token holder ("tcp"): there is one
// token, so TCP callers share one budget.
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace timd::api {

class CallerBudget {
 public:
  // A held share of a caller's budget; destroying it gives the share back.
  // May outlive the CallerBudget.
  class Slot {
   public:
    ~Slot();
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;

   private:
    friend class CallerBudget;
    struct Counts;
    Slot(std::shared_ptr<Counts> counts, std::string caller, size_t amount);
    std::shared_ptr<Counts> counts_;
    std::string caller_;
    size_t amount_;
  };

  explicit CallerBudget(size_t max_per_caller);

  // Thread-safe. nullptr when `caller` would then hold more than
  // max_per_caller in all.
  std::unique_ptr<Slot> TryAcquire(const std::string& caller, size_t amount = 1);
  size_t max_per_caller() const { return max_per_caller_; }

 private:
  size_t max_per_caller_;
  std::shared_ptr<Slot::Counts> counts_;
};

}  // namespace timd::api
