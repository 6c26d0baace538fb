// An upload's body: a file read in libcurl's chunks, hashed as it goes.
// The file is never held in memory whole.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "http/sha256_stream.h"

namespace timd::http {

class UploadSource {
 public:
  // Opens a regular file; on failure returns false with `why` set.
  bool Open(const std::string& path, std::string* why);
  ~UploadSource();

  uint64_t size() const { return size_; }
  uint64_t sent() const { return sent_; }
  // Fills up to `capacity` bytes; 0 at the end. On a read error, or when the
  // file ends before `size()` bytes, returns kFailed and error() says why.
  static constexpr size_t kFailed = static_cast<size_t>(-1);
  size_t Read(char* buffer, size_t capacity);
  const std::string& error() const { return error_; }
  std::array<unsigned char, 32> Digest() { return sha256_.Finish(); }

 private:
  int fd_ = -1;
  uint64_t size_ = 0;
  uint64_t sent_ = 0;
  std::string error_;
  Sha256Stream sha256_;
};

}  // namespace timd::http
