#include "common/log_throttle.h"

#include <gtest/gtest.h>

#include <thread>

namespace timd {
namespace {

TEST(LogThrottleTest, AdmitsOncePerIntervalAndCountsTheRest) {
  LogThrottle throttle(std::chrono::milliseconds(50));
  auto first = throttle.Admit();
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(*first, "");
  for (int i = 0; i < 5; ++i) EXPECT_FALSE(throttle.Admit().has_value());
  std::this_thread::sleep_for(std::chrono::milliseconds(60));
  auto next = throttle.Admit();
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(*next, " (5 similar lines suppressed)");
  EXPECT_FALSE(throttle.Admit().has_value());
}

}  // namespace
}  // namespace timd
