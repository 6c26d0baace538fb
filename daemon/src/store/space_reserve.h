// A file of allocated disk space kept next to the state file. When the disk
// fills up, releasing it leaves room for the few writes that report the
// failure (a NetworkStatus and a Log event); allocating it again succeeds
// only once that much space is free, which makes it the probe for "space
// is back". Without it a full disk could not even journal why it stopped.
#pragma once

#include <cstdint>
#include <string>

#include "common/status.h"

namespace timd::store {

class SpaceReserve {
 public:
  static constexpr uint64_t kDefaultBytes = uint64_t{4} << 20;

  // Opens (creating with mode 0600) `path` and allocates `bytes` in it. A
  // disk too full to allocate it leaves the reserve released, not an error.
  static Result<SpaceReserve> Open(const std::string& path, uint64_t bytes = kDefaultBytes);
  SpaceReserve(SpaceReserve&& other) noexcept;
  SpaceReserve& operator=(SpaceReserve&& other) noexcept;
  ~SpaceReserve();

  // Frees the space (truncates the file). Idempotent.
  void Release();
  // Allocates the space again; false (and still released) while the file
  // system cannot provide it with `headroom` bytes more left free.
  bool Restore(uint64_t headroom = 0);
  uint64_t bytes() const { return bytes_; }
  bool held() const { return held_; }

 private:
  SpaceReserve(int fd, uint64_t bytes) : fd_(fd), bytes_(bytes) {}

  int fd_ = -1;
  uint64_t bytes_ = 0;
  bool held_ = false;
};

}  // namespace timd::store
