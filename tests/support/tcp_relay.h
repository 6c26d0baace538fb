#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

namespace timd::test {

// A loopback TCP relay in front of a server (Prosody) that can fail like a
// real network: Cut() closes every connection abruptly (both sides, no
// stream close), like a lost Wi-Fi link; BlackHole() silently stops
// forwarding in both directions while every socket stays open, like a NAT
// that forgot the connection. Resume() forwards again.
class TcpRelay {
 public:
  // Listens on 127.0.0.1:<free port> (or `listen_ip`:`listen_port`, e.g. a
  // server's well-known port on a loopback address of its own); each
  // accepted connection is relayed to 127.0.0.1:target_port. Throws
  // std::runtime_error when it cannot listen.
  explicit TcpRelay(uint16_t target_port, const char* listen_ip = "127.0.0.1", uint16_t listen_port = 0);
  ~TcpRelay();
  TcpRelay(const TcpRelay&) = delete;
  TcpRelay& operator=(const TcpRelay&) = delete;

  uint16_t port() const { return port_; }
  int accepted() const { return accepted_; }  // connections relayed so far

  void Cut();
  // Holds every current and future connection: bytes stay in the kernel
  // buffers, nothing is closed, peers see silence.
  void BlackHole();
  // Forwards again: what was held flows on, and connections that one side
  // closed meanwhile are closed on the other side.
  void Resume();

 private:
  struct Pair {
    int client;
    int server;
  };
  void Run();
  void Accept();
  void ClosePairLocked(size_t index);

  uint16_t target_port_;
  uint16_t port_ = 0;
  int listen_fd_ = -1;
  std::atomic<bool> stop_{false};
  std::atomic<bool> black_holed_{false};
  std::atomic<int> accepted_{0};
  std::mutex mu_;
  std::vector<Pair> pairs_;
  std::thread thread_;
};

}  // namespace timd::test
