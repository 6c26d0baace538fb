#include "event_budget.h"

namespace timclient {

std::shared_ptr<EventBudget::Reservation> EventBudget::TryReserve(const std::shared_ptr<EventBudget>& budget,
                                                                  size_t bytes) {
  {
    std::lock_guard lock(budget->mu_);
    const bool empty = budget->events_ == 0;
    if (!empty && (budget->events_ >= budget->limits_.events || budget->bytes_ + bytes > budget->limits_.bytes)) {
      return nullptr;
    }
    ++budget->events_;
    budget->bytes_ += bytes;
  }
  return std::make_shared<Reservation>(budget, bytes);
}

void EventBudget::Release(size_t bytes) {
  bool room;
  {
    std::lock_guard lock(mu_);
    --events_;
    bytes_ -= bytes;
    room = HalfEmptyLocked();
  }
  if (room) cv_.notify_all();
}

bool EventBudget::WaitForRoom(const std::function<bool()>& give_up) {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return give_up() || HalfEmptyLocked(); });
  return !give_up();
}

void EventBudget::Wake() {
  std::lock_guard lock(mu_);  // a waiter is either before its check or asleep
  cv_.notify_all();
}

}  // namespace timclient
