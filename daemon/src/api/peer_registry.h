// Credentials of the local processes connected to the API socket, keyed by
// the connection's fd, so handlers can tell who is calling.
//
// gRPC owns an fd once it was handed over and closes it without telling us,
// so entries are never removed on disconnect: when the kernel reuses the fd
// number for a new connection, Add() simply overwrites the stale entry.
// Lookups of a live connection are therefore always correct, and the map is
// bounded by the process's fd limit.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <mutex>
#include <optional>
#include <string_view>
#include <unordered_map>

namespace timd::api {

struct PeerCredentials {
  pid_t pid = 0;
  uid_t uid = 0;
  gid_t gid = 0;
  std::chrono::system_clock::time_point accepted;
};

class PeerRegistry {
 public:
  // Thread-safe.
  void Add(int fd, const PeerCredentials& creds);
  void Remove(int fd);
  std::optional<PeerCredentials> Lookup(int fd) const;
  // `peer` is grpc::ServerContext::peer(): "fd:N" for connections fed in by
  // fd; anything else (e.g. loopback TCP) has no entry.
  std::optional<PeerCredentials> LookupPeer(std::string_view peer) const;

  static std::optional<int> ParsePeerFd(std::string_view peer);

 private:
  mutable std::mutex mu_;
  std::unordered_map<int, PeerCredentials> peers_;
};

}  // namespace timd::api
