// A network change (netlink) cuts a reconnect backoff short. Runs in a
// private network namespace (ctest starts it under `unshare --net
// --map-root-user`), so it may add addresses without touching the host.
// Only loopback is used: "the server" is a listening socket the test opens.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <optional>
#include <string>
#include <thread>

#include "support/timd_process.h"

namespace timd::test {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// Far longer than the test may wait: only a network change explains an
// early reconnect.
constexpr uint64_t kBackoffMs = 600000;
constexpr uint64_t kMinRemainingBackoffMs = 30000;

// Refuses to run outside a namespace of its own: the test changes addresses.
bool InPrivateNetworkNamespace() {
  if (::geteuid() != 0) return false;
  struct if_nameindex* names = if_nameindex();
  if (!names) return false;
  bool only_loopback = true;
  for (auto* n = names; n->if_index != 0; ++n) only_loopback = only_loopback && std::string(n->if_name) == "lo";
  if_freenameindex(names);
  return only_loopback;
}

void Ip(const std::string& args) {
  const char* ip = ::access("/usr/sbin/ip", X_OK) == 0 ? "/usr/sbin/ip" : "/sbin/ip";
  const std::string command = std::string(ip) + " " + args;
  ASSERT_EQ(std::system(command.c_str()), 0) << command;
}

// A TCP socket on 127.0.0.1 that refuses connections until Listen().
class FakeServer {
 public:
  FakeServer() {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    socklen_t len = sizeof addr;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
  }
  ~FakeServer() { ::close(fd_); }
  uint16_t port() const { return port_; }
  void Listen() { ::listen(fd_, 8); }
  // True when a client connected within `timeout`.
  bool Accepted(std::chrono::milliseconds timeout) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(timeout.count())) != 1) return false;
    int client = ::accept(fd_, nullptr, nullptr);
    if (client < 0) return false;
    ::close(client);
    return true;
  }

 private:
  int fd_;
  uint16_t port_ = 0;
};

// The delay of the last "reconnecting in N ms" line in `log`, if any.
std::optional<uint64_t> LastScheduledDelayMs(const std::string& log) {
  static const std::string kPrefix = "reconnecting in ";
  const size_t at = log.rfind(kPrefix);
  if (at == std::string::npos) return std::nullopt;
  const size_t digits = at + kPrefix.size();
  const size_t end = log.find(" ms", digits);
  if (end == std::string::npos || end == digits) return std::nullopt;
  return std::stoull(log.substr(digits, end - digits));
}

// Waits until timd's latest scheduled reconnect is at least `min_ms` away.
// (No std::regex: GCC 12 warns inside it under the sanitizers.)
bool WaitForLongBackoff(const TimdProcess& timd, uint64_t min_ms) {
  for (auto deadline = Clock::now() + 60s; Clock::now() < deadline; std::this_thread::sleep_for(50ms)) {
    if (auto delay = LastScheduledDelayMs(timd.log()); delay && *delay >= min_ms) return true;
  }
  return false;
}

class NetworkChange : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(InPrivateNetworkNamespace()) << "run under `unshare --net --map-root-user`";
    Ip("link set lo up");
  }

  // A timd whose first connection attempt is refused and whose next one is
  // due in minutes.
  void StartRefusedTimd(TimdProcess& timd, FakeServer& server, bool watch_network) {
    timd.AddArgs({"--domain", "localhost", "--host", "127.0.0.1", "--port", std::to_string(server.port()),
                  "--reconnect-base-ms", std::to_string(kBackoffMs), "--reconnect-cap-ms",
                  std::to_string(kBackoffMs), "--watch-network", watch_network ? "true" : "false"});
    timd.LoginAs("alice", "alice-pw");
    timd.Start();
    ASSERT_TRUE(WaitForLongBackoff(timd, kMinRemainingBackoffMs)) << timd.log();
    server.Listen();
  }
};

TEST_F(NetworkChange, NewAddressEndsTheBackoffAtOnce) {
  FakeServer server;
  TimdProcess timd;
  StartRefusedTimd(timd, server, true);
  Ip("addr add 10.77.0.1/32 dev lo");
  EXPECT_TRUE(server.Accepted(5s)) << timd.log();
  EXPECT_NE(timd.log().find("network changed (IPv4 address added"), std::string::npos) << timd.log();
}

// The control: without the monitor the same change leaves timd waiting.
TEST_F(NetworkChange, WithoutWatchingTheBackoffRunsItsCourse) {
  FakeServer server;
  TimdProcess timd;
  StartRefusedTimd(timd, server, false);
  Ip("addr add 10.77.0.2/32 dev lo");
  EXPECT_FALSE(server.Accepted(3s)) << timd.log();
}

}  // namespace
}  // namespace timd::test
