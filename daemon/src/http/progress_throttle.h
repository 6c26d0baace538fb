// Limits progress reports to one per interval, and remembers what was last
// reported so the final 100 % is sent exactly once.
#pragma once

#include <cstdint>

#include "http/transfer.h"

namespace timd::http {

class ProgressThrottle {
 public:
  explicit ProgressThrottle(uint64_t interval_ms = 100) : interval_ms_(interval_ms) {}

  // True when `progress`, observed at `now_ms`, should be reported now.
  bool ShouldReport(uint64_t now_ms, const TransferProgress& progress);
  // True when the completed state `final_progress` was not reported yet.
  bool NeedsFinal(const TransferProgress& final_progress) const;

 private:
  uint64_t interval_ms_;
  bool reported_any_ = false;
  uint64_t last_ms_ = 0;
  TransferProgress last_{};
};

}  // namespace timd::http
