#include "http/upload_source.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace timd::http {

bool UploadSource::Open(const std::string& path, std::string* why) {
  fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) {
    *why = "cannot open " + path + ": " + std::strerror(errno);
    return false;
  }
  struct stat st {};
  if (::fstat(fd_, &st) != 0 || !S_ISREG(st.st_mode)) {
    *why = path + " is not a regular file";
    return false;
  }
  size_ = static_cast<uint64_t>(st.st_size);
  // The whole file is read once, front to back.
  ::posix_fadvise(fd_, 0, 0, POSIX_FADV_SEQUENTIAL);
  return true;
}

UploadSource::~UploadSource() {
  if (fd_ >= 0) ::close(fd_);
}

size_t UploadSource::Read(char* buffer, size_t capacity) {
  const uint64_t left = size_ - sent_;
  if (left == 0) return 0;
  const size_t want = capacity < left ? capacity : static_cast<size_t>(left);
  ssize_t got;
  do {
    got = ::read(fd_, buffer, want);
  } while (got < 0 && errno == EINTR);
  if (got < 0) {
    error_ = std::string("read failed: ") + std::strerror(errno);
    return kFailed;
  }
  if (got == 0) {
    error_ = "the file shrank while it was being uploaded";
    return kFailed;
  }
  sha256_.Update(buffer, static_cast<size_t>(got));
  sent_ += static_cast<uint64_t>(got);
  return static_cast<size_t>(got);
}

}  // namespace timd::http
