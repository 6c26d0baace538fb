// The watchdog against a real notification socket: pings at half the
// interval systemd asks for, only when asked, and only while the loop turns.
#include "service/systemd_watchdog.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <string>
#include <thread>

#include "support/notify_socket.h"
#include "support/temp_dir.h"

namespace timd::service {
namespace {

using namespace std::chrono_literals;
using test::NotifySocket;

class SystemdWatchdogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    uv_loop_init(&loop_);
    watchdog_ = std::make_unique<SystemdWatchdog>(&loop_);
    setenv("NOTIFY_SOCKET", notify_.path().c_str(), 1);
    unsetenv("WATCHDOG_USEC");
    unsetenv("WATCHDOG_PID");
  }
  void TearDown() override {
    watchdog_.reset();
    uv_run(&loop_, UV_RUN_DEFAULT);  // closes the timer
    EXPECT_EQ(uv_loop_close(&loop_), 0);
    unsetenv("NOTIFY_SOCKET");
    unsetenv("WATCHDOG_USEC");
    unsetenv("WATCHDOG_PID");
  }

  // Runs the loop for `ms`, with `during` called once from a timer on it.
  void RunLoopFor(uint64_t ms, std::function<void()> during = nullptr) {
    Timer stop(&loop_);
    stop.Start(ms, [this] { uv_stop(&loop_); });
    Timer call(&loop_);
    if (during) call.Start(ms / 2, during);
    uv_run(&loop_, UV_RUN_DEFAULT);
  }

  size_t CountPings(std::chrono::milliseconds timeout = 0ms) {
    size_t pings = 0;
    while (auto message = notify_.Next(timeout)) {
      EXPECT_EQ(message->text, "WATCHDOG=1");
      ++pings;
    }
    return pings;
  }

  test::TempDir dir_{"timd-watchdog"};
  NotifySocket notify_{dir_.File("notify.sock")};
  uv_loop_t loop_;
  std::unique_ptr<SystemdWatchdog> watchdog_;
};

TEST_F(SystemdWatchdogTest, PingsAtHalfTheIntervalSystemdAsksFor) {
  setenv("WATCHDOG_USEC", "100000", 1);
  setenv("WATCHDOG_PID", std::to_string(getpid()).c_str(), 1);
  ASSERT_TRUE(watchdog_->Start());
  EXPECT_EQ(watchdog_->interval_ms(), 50u);
  RunLoopFor(500);
  const size_t pings = CountPings();
  EXPECT_GE(pings, 5u);   // ~11: one at once, then every 50 ms
  EXPECT_LE(pings, 12u);
}

TEST_F(SystemdWatchdogTest, ABlockedLoopSendsNothing) {
  setenv("WATCHDOG_USEC", "100000", 1);  // WATCHDOG_PID unset: meant for this process too
  ASSERT_TRUE(watchdog_->Start());
  size_t before_block = 0, during_block = 0;
  RunLoopFor(900, [&] {
    before_block = CountPings();
    std::this_thread::sleep_for(300ms);  // six intervals with the loop stuck here
    during_block = CountPings();
  });
  EXPECT_GE(before_block, 3u);
  EXPECT_EQ(during_block, 0u) << "a ping came from another thread while the loop was stuck";
  EXPECT_GE(CountPings(), 2u) << "pings did not resume with the loop";
}

TEST_F(SystemdWatchdogTest, SilentWhenSystemdAsksAnotherProcess) {
  setenv("WATCHDOG_USEC", "100000", 1);
  setenv("WATCHDOG_PID", std::to_string(getppid()).c_str(), 1);
  EXPECT_FALSE(watchdog_->Start());
  RunLoopFor(200);
  EXPECT_EQ(CountPings(), 0u);
}

TEST_F(SystemdWatchdogTest, SilentWithoutWatchdogSec) {
  EXPECT_FALSE(watchdog_->Start());
  RunLoopFor(200);
  EXPECT_EQ(CountPings(), 0u);
}

}  // namespace
}  // namespace timd::service
