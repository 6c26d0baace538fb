// EventBudget: the bound on libtimclient's callback queue.
#include "event_budget.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

namespace timclient {
namespace {

using Reservations = std::vector<std::shared_ptr<EventBudget::Reservation>>;

TEST(EventBudgetTest, FullAtEitherLimitButAnEmptyQueueTakesAnyEvent) {
  auto budget = std::make_shared<EventBudget>(EventBudget::Limits{3, 100});
  Reservations held;
  for (int i = 0; i < 3; ++i) held.push_back(EventBudget::TryReserve(budget, 10));
  EXPECT_EQ(EventBudget::TryReserve(budget, 1), nullptr) << "3 events is the limit";
  held.pop_back();
  EXPECT_EQ(EventBudget::TryReserve(budget, 81), nullptr) << "20 + 81 bytes is over 100";
  held.push_back(EventBudget::TryReserve(budget, 80));
  EXPECT_NE(held.back(), nullptr);
  held.clear();
  EXPECT_NE(EventBudget::TryReserve(budget, 1000), nullptr) << "an empty queue takes an event of any size";
}

TEST(EventBudgetTest, WaitForRoomReturnsOnceHalfEmpty) {
  auto budget = std::make_shared<EventBudget>(EventBudget::Limits{4, 1000});
  Reservations held;
  for (int i = 0; i < 4; ++i) held.push_back(EventBudget::TryReserve(budget, 1));
  std::atomic<bool> woke{false};
  std::thread waiter([&] {
    EXPECT_TRUE(budget->WaitForRoom([] { return false; }));
    woke = true;
  });
  held.pop_back();  // 3 of 4: still more than half
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_FALSE(woke);
  held.pop_back();  // 2 of 4
  waiter.join();
  EXPECT_TRUE(woke);
}

TEST(EventBudgetTest, WaitForRoomGivesUpWhenWoken) {
  auto budget = std::make_shared<EventBudget>(EventBudget::Limits{1, 1000});
  auto held = EventBudget::TryReserve(budget, 1);
  std::atomic<bool> stop{false};
  std::thread waiter([&] { EXPECT_FALSE(budget->WaitForRoom([&] { return stop.load(); })); });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  stop = true;
  budget->Wake();
  waiter.join();
}

}  // namespace
}  // namespace timclient
