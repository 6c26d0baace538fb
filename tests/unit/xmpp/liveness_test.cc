// Liveness on a real libuv loop with short intervals: silence brings a
// probe, input answers it, no input within the timeout is a dead link.
#include "xmpp/liveness.h"

#include <gtest/gtest.h>

#include <memory>

#include "common/timer.h"

namespace timd::xmpp {
namespace {

class LivenessTest : public ::testing::Test {
 protected:
  void SetUp() override { uv_loop_init(&loop_); }
  void TearDown() override {
    liveness_.reset();
    uv_run(&loop_, UV_RUN_DEFAULT);
    EXPECT_EQ(uv_loop_close(&loop_), 0) << "a libuv handle was leaked";
  }

  Liveness& Make(uint64_t interval_ms, uint64_t timeout_ms) {
    liveness_ = std::make_unique<Liveness>(&loop_, interval_ms, timeout_ms,
                                           Liveness::Callbacks{[this] { ++probes_; }, [this] {
                                                                 dead_ = true;
                                                                 liveness_->Stop();
                                                               }});
    return *liveness_;
  }

  // Runs the loop for `ms`, calling `every_10ms` on the way.
  void RunFor(uint64_t ms, const std::function<void()>& every_10ms = {}) {
    Timer stop(&loop_);
    stop.Start(ms, [this] { uv_stop(&loop_); });
    Timer tick(&loop_);
    std::function<void()> on_tick = [&] {
      if (every_10ms) every_10ms();
      tick.Start(10, on_tick);
    };
    tick.Start(10, on_tick);
    uv_run(&loop_, UV_RUN_DEFAULT);
  }

  uv_loop_t loop_;
  std::unique_ptr<Liveness> liveness_;
  int probes_ = 0;
  bool dead_ = false;
};

TEST_F(LivenessTest, SilenceIsProbedAndAnUnansweredProbeIsADeadLink) {
  Make(30, 50).Start();
  RunFor(200);
  EXPECT_EQ(probes_, 1);
  EXPECT_TRUE(dead_);
}

TEST_F(LivenessTest, InputAnswersTheProbe) {
  Liveness& liveness = Make(30, 50);
  liveness.Start();
  RunFor(45);
  ASSERT_EQ(probes_, 1);
  liveness.OnInput();
  RunFor(40);
  EXPECT_FALSE(dead_);
  EXPECT_EQ(probes_, 2) << "the next silence is probed again";
}

TEST_F(LivenessTest, ABusyLinkIsNeverProbed) {
  Liveness& liveness = Make(30, 50);
  liveness.Start();
  RunFor(150, [&] { liveness.OnInput(); });
  EXPECT_EQ(probes_, 0);
  EXPECT_FALSE(dead_);
}

TEST_F(LivenessTest, ProbeNowWithoutPeriodicProbes) {
  Liveness& liveness = Make(0, 30);
  liveness.Start();
  liveness.ProbeNow();
  liveness.ProbeNow();  // one probe at a time
  EXPECT_EQ(probes_, 1);
  liveness.OnInput();
  RunFor(80);
  EXPECT_EQ(probes_, 1) << "an interval of 0 means no probes after silence";
  EXPECT_FALSE(dead_);
  liveness.ProbeNow();
  RunFor(80);
  EXPECT_TRUE(dead_);
}

TEST_F(LivenessTest, StopEndsProbesAndDeadlines) {
  Liveness& liveness = Make(20, 30);
  liveness.Start();
  liveness.ProbeNow();
  liveness.Stop();
  RunFor(100);
  EXPECT_EQ(probes_, 1);
  EXPECT_FALSE(dead_);
}

}  // namespace
}  // namespace timd::xmpp
