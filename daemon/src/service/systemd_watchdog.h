// systemd's watchdog (WatchdogSec=): while systemd expects keep-alives from
// this process, WATCHDOG=1 goes out every half interval from a timer on the
// loop thread. A loop that stops turning stops the pings, and systemd then
// restarts timd.
#pragma once

#include <uv.h>

#include <cstdint>

#include "common/timer.h"

namespace timd::service {

class SystemdWatchdog {
 public:
  explicit SystemdWatchdog(uv_loop_t* loop) : timer_(loop) {}

  // Loop thread. Starts the pings when $WATCHDOG_USEC asks this process
  // for them (see sd_watchdog_enabled); returns whether it does.
  bool Start();
  uint64_t interval_ms() const { return interval_ms_; }

 private:
  void Ping();

  Timer timer_;
  uint64_t interval_ms_ = 0;
};

}  // namespace timd::service
