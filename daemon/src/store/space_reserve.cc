#include "store/space_reserve.h"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace timd::store {

Result<SpaceReserve> SpaceReserve::Open(const std::string& path, uint64_t bytes) {
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    return Status(Code::kUnavailable, tim_err::kIoOperationFailed,
                  "cannot open the space reserve " + path + ": " + std::strerror(errno));
  }
  SpaceReserve reserve(fd, bytes);
  if (!reserve.Restore()) spdlog::warn("store: the disk has less than {} bytes free", bytes);
  return reserve;
}

SpaceReserve::SpaceReserve(SpaceReserve&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), bytes_(other.bytes_), held_(std::exchange(other.held_, false)) {}

SpaceReserve& SpaceReserve::operator=(SpaceReserve&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
    bytes_ = other.bytes_;
    held_ = std::exchange(other.held_, false);
  }
  return *this;
}

SpaceReserve::~SpaceReserve() {
  if (fd_ >= 0) ::close(fd_);
}

void SpaceReserve::Release() {
  if (fd_ < 0 || !held_) return;
  if (::ftruncate(fd_, 0) != 0) {
    spdlog::error("store: cannot release the space reserve: {}", std::strerror(errno));
    return;
  }
  held_ = false;
  spdlog::warn("store: released the {}-byte space reserve", bytes_);
}

bool SpaceReserve::Restore(uint64_t headroom) {
  if (fd_ < 0) return false;
  if (held_) return true;
  struct statvfs fs {};
  if (headroom > 0 && ::fstatvfs(fd_, &fs) == 0 &&
      static_cast<uint64_t>(fs.f_bavail) * fs.f_frsize < bytes_ + headroom) {
    return false;
  }
  // posix_fallocate returns the error instead of setting errno. Blocks are
  // really allocated (not a sparse file), so success means the space exists.
  const int rc = ::posix_fallocate(fd_, 0, static_cast<off_t>(bytes_));
  if (rc != 0) {
    if (::ftruncate(fd_, 0) != 0) spdlog::debug("store: cannot truncate the space reserve: {}", std::strerror(errno));
    if (rc != ENOSPC) spdlog::warn("store: cannot allocate the space reserve: {}", std::strerror(rc));
    return false;
  }
  held_ = true;
  return true;
}

}  // namespace timd::store
