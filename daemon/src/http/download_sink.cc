#include "http/download_sink.h"

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

namespace timd::http {
namespace {

std::string DirectoryOf(const std::string& path) {
  const std::string dir = std::filesystem::path(path).parent_path().string();
  return dir.empty() ? "." : dir;
}

}  // namespace

bool DownloadSink::Open(const std::string& path, uint64_t max_bytes, std::string* why) {
  path_ = path;
  max_bytes_ = max_bytes;
  const std::filesystem::path target(path);
  if (target.filename().empty()) {
    *why = "the download path names no file: " + path;
    return false;
  }
  // Hidden and in the same directory, so the final rename is atomic.
  std::string temp = DirectoryOf(path) + "/." + target.filename().string() + ".XXXXXX.part";
  fd_ = ::mkostemps(temp.data(), 5, O_CLOEXEC);
  if (fd_ < 0) {
    *why = "cannot create a file next to " + path + ": " + std::strerror(errno);
    return false;
  }
  temp_path_ = temp;
  return true;
}

DownloadSink::~DownloadSink() { Discard(); }

void DownloadSink::Fail(TransferError error, const std::string& what, int errno_value) {
  error_ = (errno_value == ENOSPC || errno_value == EDQUOT) ? TransferError::kDiskFull : error;
  error_message_ = what + (errno_value != 0 ? std::string(": ") + std::strerror(errno_value) : std::string());
}

bool DownloadSink::Write(const char* data, size_t size) {
  if (max_bytes_ != 0 && written_ + size > max_bytes_) {
    Fail(TransferError::kTooLarge, "the download is larger than " + std::to_string(max_bytes_) + " bytes", 0);
    return false;
  }
  sha256_.Update(data, size);
  size_t done = 0;
  while (done < size) {
    const ssize_t n = ::write(fd_, data + done, size - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      Fail(TransferError::kFileWrite, "writing " + path_ + " failed", errno);
      return false;
    }
    done += static_cast<size_t>(n);
  }
  written_ += size;
  return true;
}

bool DownloadSink::Commit() {
  // ext4 and others may report a full disk only at fsync or close.
  if (::fsync(fd_) != 0) {
    Fail(TransferError::kFileWrite, "fsync of " + path_ + " failed", errno);
    return false;
  }
  const int closed = ::close(fd_);
  fd_ = -1;
  if (closed != 0) {
    Fail(TransferError::kFileWrite, "closing " + path_ + " failed", errno);
    return false;
  }
  if (::rename(temp_path_.c_str(), path_.c_str()) != 0) {
    Fail(TransferError::kFileWrite, "renaming the download to " + path_ + " failed", errno);
    return false;
  }
  temp_path_.clear();
  // The rename itself survives a crash only once the directory is synced.
  const int dir = ::open(DirectoryOf(path_).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
  return true;
}

void DownloadSink::Discard() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  if (!temp_path_.empty()) ::unlink(temp_path_.c_str());
  temp_path_.clear();
}

}  // namespace timd::http
