// Drives a libuv loop from a test until a condition holds, for tests that
// run an xmpp::Client on their own loop.
#pragma once

#include <uv.h>

#include <chrono>
#include <functional>

namespace timd::test {

// Runs `loop` until `done` holds (checked every 10 ms) or `timeout` passes;
// returns done().
inline bool RunLoopUntil(uv_loop_t* loop, const std::function<bool()>& done,
                         std::chrono::milliseconds timeout = std::chrono::seconds(15)) {
  for (auto ticks = timeout.count() / 10; ticks > 0 && !done(); --ticks) {
    uv_timer_t tick;
    uv_timer_init(loop, &tick);
    uv_timer_start(&tick, [](uv_timer_t*) {}, 10, 0);
    uv_run(loop, UV_RUN_ONCE);
    uv_close(reinterpret_cast<uv_handle_t*>(&tick), nullptr);
    uv_run(loop, UV_RUN_NOWAIT);
  }
  return done();
}

}  // namespace timd::test
