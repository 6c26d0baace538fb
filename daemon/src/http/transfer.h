// What the HTTP transfer engine takes and gives: transfer specs, progress,
// results and typed errors. Plain data, no libcurl types.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace timd::http {

using TransferId = uint64_t;  // 0 is never a transfer

enum class TransferError {
  kNone,
  kBadRequest,          // unusable URL or spec (e.g. a scheme other than https)
  kResolveFailed,       // the host name does not resolve
  kConnectionRefused,   // nothing listens, or the connection could not be made
  kTls,                 // TLS handshake or certificate verification failed
  kTimeout,             // connect timeout, or the transfer stalled
  kNetwork,             // the connection broke during the transfer
  kHttpStatus,          // the server answered with a non-2xx status (see http_status)
  kFileUnreadable,      // upload: the source file cannot be opened or read, or changed size
  kDiskFull,            // download: no space left (ENOSPC, EDQUOT)
  kFileWrite,           // download: the target cannot be created, written or renamed
  kTooLarge,            // download: more bytes than DownloadSpec::max_bytes
  kInternal,            // libcurl refused an option or handle (a bug or a broken build)
};

const char* ToString(TransferError error);

struct TransferProgress {
  uint64_t done = 0;
  uint64_t total = 0;  // 0 while unknown (a download without Content-Length)
};

struct TransferResult {
  TransferError error = TransferError::kNone;
  std::string message;   // human-readable; never holds header values or URLs' query secrets
  long http_status = 0;  // the last response's status, 0 when none came
  uint64_t bytes = 0;    // body bytes sent (upload) or received (download)
  // SHA-256 of exactly those bytes, for XEP-0300/XEP-0447 metadata. Valid
  // when error == kNone.
  std::array<unsigned char, 32> sha256{};
};

// Both run on the loop thread, never inside Start*() or Cancel().
// on_progress: at most ~10 per second, plus the final 100 % before a
// successful on_done. on_done: exactly once, unless the transfer was
// cancelled or the engine destroyed first.
struct TransferCallbacks {
  std::function<void(const TransferProgress& progress)> on_progress;
  std::function<void(const TransferResult& result)> on_done;
};

struct UploadSpec {
  std::string url;        // the slot's PUT URL
  std::string file_path;  // streamed from disk, never held in memory whole
  // Sent as given (the slot's Authorization/Cookie/Expires). Secrets: never logged.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string content_type;  // empty = application/octet-stream
};

struct DownloadSpec {
  std::string url;
  // Written through a temp file in the same directory, then fsync'ed and
  // renamed over `path`; nothing is left behind on failure.
  std::string path;
  uint64_t max_bytes = 0;  // 0 = no limit
};

struct EngineOptions {
  // A PEM file of CAs trusted in addition to the system's (a private server).
  std::string extra_ca_file;
  bool allow_plain_http = false;  // tests or a LAN server only: https otherwise
  long connect_timeout_ms = 30000;
  long stall_timeout_s = 60;  // fewer than 1 byte/s for this long ends the transfer (kTimeout)
};

}  // namespace timd::http
