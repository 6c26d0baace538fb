// Wall-clock time in Unix milliseconds, the unit of every stored timestamp.
#pragma once

#include <chrono>
#include <cstdint>

namespace timd {

inline int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace timd
