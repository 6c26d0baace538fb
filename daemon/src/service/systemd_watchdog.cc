#include "service/systemd_watchdog.h"

#include <spdlog/spdlog.h>
#include <systemd/sd-daemon.h>

#include <algorithm>
#include <cstring>

namespace timd::service {

bool SystemdWatchdog::Start() {
  uint64_t timeout_us = 0;
  const int enabled = sd_watchdog_enabled(0, &timeout_us);
  if (enabled < 0) spdlog::warn("systemd watchdog: {}", std::strerror(-enabled));
  if (enabled <= 0) return false;
  // Half the timeout, as sd_watchdog_enabled(3) advises: one late turn of
  // the loop does not yet count as a hang.
  interval_ms_ = std::max<uint64_t>(timeout_us / 2000, 1);
  spdlog::info("systemd watchdog: keep-alive every {} ms", interval_ms_);
  Ping();
  return true;
}

void SystemdWatchdog::Ping() {
  sd_notify(0, "WATCHDOG=1");
  timer_.Start(interval_ms_, [this] { Ping(); });
}

}  // namespace timd::service
