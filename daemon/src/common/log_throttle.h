// Rate-limits one kind of log line: at most one per interval, and the next
// line admitted says how many were held back. For failures that repeat at
// the rate of input (a full disk during a burst, a reconnect loop against
// an unwritable store), which must not flood the log or the LOG events.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace timd {

class LogThrottle {
 public:
  explicit LogThrottle(std::chrono::milliseconds interval = std::chrono::seconds(30)) : interval_(interval) {}

  // Whether this occurrence may be logged: if so, the note to append (empty,
  // or " (N similar lines suppressed)"); if not, nothing.
  std::optional<std::string> Admit() {
    const auto now = std::chrono::steady_clock::now();
    if (admitted_once_ && now - last_admitted_ < interval_) {
      ++suppressed_;
      return std::nullopt;
    }
    admitted_once_ = true;
    last_admitted_ = now;
    const uint64_t suppressed = suppressed_;
    suppressed_ = 0;
    if (suppressed == 0) return std::string();
    return " (" + std::to_string(suppressed) + " similar lines suppressed)";
  }

 private:
  std::chrono::milliseconds interval_;
  bool admitted_once_ = false;
  std::chrono::steady_clock::time_point last_admitted_;
  uint64_t suppressed_ = 0;
};

}  // namespace timd
