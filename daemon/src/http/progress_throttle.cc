#include "http/progress_throttle.h"

namespace timd::http {

bool ProgressThrottle::ShouldReport(uint64_t now_ms, const TransferProgress& progress) {
  if (progress.done == last_.done && progress.total == last_.total && reported_any_) return false;
  if (reported_any_ && now_ms - last_ms_ < interval_ms_) return false;
  // The last chunk is left for the final report, so 100 % comes once.
  if (progress.total != 0 && progress.done == progress.total) return false;
  reported_any_ = true;
  last_ms_ = now_ms;
  last_ = progress;
  return true;
}

bool ProgressThrottle::NeedsFinal(const TransferProgress& final_progress) const {
  return !reported_any_ || final_progress.done != last_.done || final_progress.total != last_.total;
}

}  // namespace timd::http
