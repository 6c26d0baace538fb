// Connection faults against a real Prosody: a server that is down when timd
// starts, and a connection cut under an established session.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

#include "support/event_reader.h"
#include "support/prosody_fixture.h"
#include "support/requests.h"
#include "support/timd_process.h"

namespace timd::test {
namespace {

using namespace std::chrono_literals;

// A loopback TCP relay in front of Prosody whose connections can be cut
// abruptly (both sides closed, no stream close), like a lost Wi-Fi link.
class CuttableRelay {
 public:
  explicit CuttableRelay(uint16_t target_port) : target_port_(target_port) {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    EXPECT_EQ(::listen(listen_fd_, 8), 0);
    socklen_t len = sizeof addr;
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { Run(); });
  }
  ~CuttableRelay() {
    stop_ = true;
    thread_.join();
    Cut();
    ::close(listen_fd_);
  }
  uint16_t port() const { return port_; }
  int accepted() const { return accepted_; }

  void Cut() {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto& [a, b] : pairs_) {
      ::shutdown(a, SHUT_RDWR);
      ::shutdown(b, SHUT_RDWR);
      ::close(a);
      ::close(b);
    }
    pairs_.clear();
  }

 private:
  void Run() {
    std::vector<char> buf(65536);
    while (!stop_) {
      std::vector<pollfd> fds{{listen_fd_, POLLIN, 0}};
      {
        std::lock_guard<std::mutex> lock(mu_);
        for (auto& [a, b] : pairs_) {
          fds.push_back({a, POLLIN, 0});
          fds.push_back({b, POLLIN, 0});
        }
      }
      if (::poll(fds.data(), fds.size(), 50) <= 0) continue;
      if (fds[0].revents & POLLIN) Accept();
      std::lock_guard<std::mutex> lock(mu_);
      for (size_t i = 1; i < fds.size(); ++i) {
        if (!(fds[i].revents & (POLLIN | POLLHUP))) continue;
        const int from = fds[i].fd;
        int to = -1;
        for (auto& [a, b] : pairs_) {
          if (a == from) to = b;
          if (b == from) to = a;
        }
        if (to < 0) continue;  // cut meanwhile
        const ssize_t n = ::read(from, buf.data(), buf.size());
        if (n > 0) (void)::write(to, buf.data(), static_cast<size_t>(n));
      }
    }
  }

  void Accept() {
    const int client = ::accept(listen_fd_, nullptr, nullptr);
    if (client < 0) return;
    const int server = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(target_port_);
    if (::connect(server, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      ::close(client);
      ::close(server);
      return;
    }
    ++accepted_;
    std::lock_guard<std::mutex> lock(mu_);
    pairs_.emplace_back(client, server);
  }

  uint16_t target_port_;
  uint16_t port_ = 0;
  int listen_fd_ = -1;
  std::atomic<bool> stop_{false};
  std::atomic<int> accepted_{0};
  std::mutex mu_;
  std::vector<std::pair<int, int>> pairs_;
  std::thread thread_;
};

tim::v1::SubscribeRequest FromStart() {
  tim::v1::SubscribeRequest request;
  request.set_since_seq(0);
  return request;
}

size_t CountText(const std::vector<tim::v1::Event>& events, const std::string& text) {
  size_t n = 0;
  for (const auto& e : events) {
    if (!e.has_new_messages()) continue;
    for (const auto& m : e.new_messages().messages()) {
      if (!m.elems().empty() && m.elems(0).text().content() == text) ++n;
    }
  }
  return n;
}

TEST(Reconnect, ServerDownAtStartThenUp) {
  ProsodyServer prosody;
  prosody.Start();
  prosody.AddUser("alice", "pw");
  prosody.Kill9();  // down before timd starts (same ports and data come back later)

  TimdProcess timd;
  timd.UseProsody(prosody);
  timd.LoginAs("alice", "pw");
  timd.Start();  // serves its API without a server
  grpc::ClientContext ctx;
  tim::v1::GetLoginStatusResponse status;
  ASSERT_TRUE(timd.Stub()->GetLoginStatus(&ctx, {}, &status).ok());
  EXPECT_NE(status.status(), tim::v1::LOGINED);
  EventReader events(timd.Channel(), FromStart());
  EXPECT_TRUE(events.WaitFor([](const tim::v1::Event& e) {
    return e.has_network_status() && e.network_status().status() == tim::v1::NET_CONNECT_FAILED;
  }));

  prosody.Restart();
  EXPECT_TRUE(timd.WaitLoggedIn(20s)) << timd.log();
  EXPECT_TRUE(events.WaitFor([](const tim::v1::Event& e) {
    return e.has_network_status() && e.network_status().status() == tim::v1::NET_CONNECTED;
  }));
}

TEST(Reconnect, CutConnectionIsResumedWithoutLosingOrDoublingMessages) {
  ProsodyServer prosody;
  prosody.Start();
  prosody.AddUser("alice", "alice-pw");
  prosody.AddUser("bob", "bob-pw");
  CuttableRelay relay(prosody.c2s_port());

  TimdProcess bob;
  bob.UseProsody(prosody);
  bob.LoginAs("bob", "bob-pw");
  bob.Start();
  ASSERT_TRUE(bob.WaitLoggedIn()) << bob.log();

  TimdProcess alice;
  alice.AddArgs({"--domain", "localhost", "--host", "127.0.0.1", "--port", std::to_string(relay.port()),
                 "--ca-file", prosody.ca_file()});
  alice.LoginAs("alice", "alice-pw");
  alice.Start();
  ASSERT_TRUE(alice.WaitLoggedIn()) << alice.log();
  EventReader events(alice.Channel(), FromStart());

  auto send = [&](const std::string& text) {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + 20s);
    tim::v1::SendMessageResponse response;
    auto s = bob.Stub()->SendMessage(&ctx, TextTo("alice", text), &response);
    ASSERT_TRUE(s.ok()) << s.error_message();
  };
  send("before the cut");
  ASSERT_TRUE(events.WaitFor(HasTextMessage("before the cut"))) << alice.log();

  relay.Cut();
  send("during the outage");  // held by the server for alice's session
  ASSERT_TRUE(events.WaitFor(HasTextMessage("during the outage"), 30s)) << alice.log();
  send("after the outage");
  ASSERT_TRUE(events.WaitFor(HasTextMessage("after the outage"))) << alice.log();
  std::this_thread::sleep_for(1s);

  const auto all = events.Events();
  EXPECT_EQ(CountText(all, "before the cut"), 1u);
  EXPECT_EQ(CountText(all, "during the outage"), 1u);
  EXPECT_EQ(CountText(all, "after the outage"), 1u);
  EXPECT_GE(relay.accepted(), 2);
  // Recovered by stream resumption: no archive pull was needed.
  EXPECT_NE(alice.log().find("stream resumed"), std::string::npos) << alice.log();
  EXPECT_EQ(alice.log().find("catching up from the archive"), std::string::npos) << alice.log();
}

}  // namespace
}  // namespace timd::test
