// A download's target: bytes go to a temp file next to the final path,
// hashed as they come; Commit() makes them durable and renames the file into
// place, Discard() (or destruction) removes it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "http/sha256_stream.h"
#include "http/transfer.h"

namespace timd::http {

class DownloadSink {
 public:
  // Creates the temp file; false and `why` when the directory refuses.
  bool Open(const std::string& path, uint64_t max_bytes, std::string* why);
  ~DownloadSink();

  // Appends; false on a write failure or past max_bytes (see error()).
  bool Write(const char* data, size_t size);
  // fsync, rename over the final path, fsync the directory.
  bool Commit();
  void Discard();

  uint64_t written() const { return written_; }
  TransferError error() const { return error_; }
  const std::string& error_message() const { return error_message_; }
  std::array<unsigned char, 32> Digest() { return sha256_.Finish(); }

 private:
  void Fail(TransferError error, const std::string& what, int errno_value);

  std::string path_;
  std::string temp_path_;
  int fd_ = -1;
  uint64_t max_bytes_ = 0;
  uint64_t written_ = 0;
  TransferError error_ = TransferError::kNone;
  std::string error_message_;
  Sha256Stream sha256_;
};

}  // namespace timd::http
