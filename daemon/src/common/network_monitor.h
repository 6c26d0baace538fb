// Watches Linux's routing netlink for changes that can make a connection
// reachable or dead: an address added or removed, a link going up or down, a
// default route appearing or vanishing. Reports them, coalesced, on the loop.
#pragma once

#include <uv.h>

#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "common/timer.h"

namespace timd {

class NetworkMonitor {
 public:
  // Changes within `settle_ms` of each other are reported once, after the
  // last of them: a new network usually brings an address, then a route.
  NetworkMonitor(uv_loop_t* loop, std::function<void(const std::string& what)> on_change, uint64_t settle_ms = 500);
  ~NetworkMonitor();
  NetworkMonitor(const NetworkMonitor&) = delete;
  NetworkMonitor& operator=(const NetworkMonitor&) = delete;

  // Opens the netlink socket. False (and logs why) when the kernel refuses;
  // timd then relies on its backoff and liveness probes alone.
  bool Start();

  // What one netlink datagram says, or "" when nothing in it matters
  // (e.g. host- or link-scope addresses, non-default routes, statistics).
  static std::string Describe(const void* data, size_t length);

 private:
  static void OnReadable(uv_poll_t* handle, int status, int events);
  void Drain();

  uv_loop_t* loop_;
  std::function<void(const std::string&)> on_change_;
  uint64_t settle_ms_;
  int fd_ = -1;
  uv_poll_t* poll_ = nullptr;  // heap-owned: closes asynchronously
  Timer settle_timer_;
  std::string pending_;  // the first change since the last report
};

}  // namespace timd
