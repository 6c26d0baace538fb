// The bound on the callback queue: how many events, and how many bytes of
// them, the subscriber has queued for the callback thread and the app has
// not been given yet. When an event does not fit, the subscriber drops it
// and ends its stream; once the app has caught up (the queue is at most half
// full) it subscribes again right after the last event it queued, so memory
// stays bounded and the app still sees every event once, in order.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>

namespace timclient {

class EventBudget {
 public:
  struct Limits {
    size_t events = 1024;
    size_t bytes = size_t{8} << 20;
  };

  // A queued event's share of the budget, given back when it is destroyed
  // (after its callbacks ran, or with the queue).
  class Reservation {
   public:
    Reservation(std::shared_ptr<EventBudget> budget, size_t bytes) : budget_(std::move(budget)), bytes_(bytes) {}
    ~Reservation() { budget_->Release(bytes_); }
    Reservation(const Reservation&) = delete;
    Reservation& operator=(const Reservation&) = delete;

   private:
    const std::shared_ptr<EventBudget> budget_;
    const size_t bytes_;
  };

  explicit EventBudget(Limits limits) : limits_(limits) {}

  // Room for one more event of `bytes`, or null when the queue is full. An
  // event always fits into an empty queue, however large it is.
  static std::shared_ptr<Reservation> TryReserve(const std::shared_ptr<EventBudget>& budget, size_t bytes);

  // Blocks until the queue is at most half full (true) or `give_up()` holds
  // (false). Whoever makes `give_up()` true must call Wake() afterwards.
  bool WaitForRoom(const std::function<bool()>& give_up);
  void Wake();

 private:
  void Release(size_t bytes);
  bool HalfEmptyLocked() const { return events_ * 2 <= limits_.events && bytes_ * 2 <= limits_.bytes; }

  const Limits limits_;
  std::mutex mu_;
  std::condition_variable cv_;
  size_t events_ = 0;
  size_t bytes_ = 0;
};

}  // namespace timclient
