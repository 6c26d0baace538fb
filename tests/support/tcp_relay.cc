#include "support/tcp_relay.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>
#include <string>

namespace timd::test {
namespace {

sockaddr_in Loopback(uint16_t port) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(port);
  return addr;
}

// Writes all of `data`; false when the peer is gone. MSG_NOSIGNAL: a closed
// peer must not SIGPIPE the test.
bool SendAll(int fd, const char* data, size_t size) {
  while (size > 0) {
    const ssize_t n = ::send(fd, data, size, MSG_NOSIGNAL);
    if (n <= 0) return false;
    data += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

}  // namespace

TcpRelay::TcpRelay(uint16_t target_port, const char* listen_ip, uint16_t listen_port) : target_port_(target_port) {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr = Loopback(listen_port);
  if (listen_fd_ < 0 || inet_pton(AF_INET, listen_ip, &addr.sin_addr) != 1 ||
      ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(listen_fd_, 16) != 0) {
    if (listen_fd_ >= 0) ::close(listen_fd_);
    throw std::runtime_error(std::string("TcpRelay: cannot listen on ") + listen_ip + ":" +
                             std::to_string(listen_port));
  }
  socklen_t len = sizeof addr;
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  thread_ = std::thread([this] { Run(); });
}

TcpRelay::~TcpRelay() {
  stop_ = true;
  thread_.join();
  Cut();
  ::close(listen_fd_);
}

void TcpRelay::Cut() {
  std::lock_guard lock(mu_);
  while (!pairs_.empty()) ClosePairLocked(pairs_.size() - 1);
}

void TcpRelay::BlackHole() { black_holed_ = true; }

void TcpRelay::Resume() { black_holed_ = false; }

void TcpRelay::ClosePairLocked(size_t index) {
  const Pair pair = pairs_[index];
  ::shutdown(pair.client, SHUT_RDWR);
  ::shutdown(pair.server, SHUT_RDWR);
  ::close(pair.client);
  ::close(pair.server);
  pairs_.erase(pairs_.begin() + static_cast<std::ptrdiff_t>(index));
}

void TcpRelay::Run() {
  std::vector<char> buf(65536);
  while (!stop_) {
    std::vector<pollfd> fds{{listen_fd_, POLLIN, 0}};
    const bool forwarding = !black_holed_;
    if (forwarding) {
      std::lock_guard lock(mu_);
      for (const auto& pair : pairs_) {
        fds.push_back({pair.client, POLLIN, 0});
        fds.push_back({pair.server, POLLIN, 0});
      }
    }
    if (::poll(fds.data(), fds.size(), 20) <= 0) continue;
    if (fds[0].revents & POLLIN) Accept();
    if (!forwarding || black_holed_) continue;
    std::lock_guard lock(mu_);
    for (size_t i = 1; i < fds.size(); ++i) {
      if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      const int from = fds[i].fd;
      size_t index = pairs_.size();
      for (size_t p = 0; p < pairs_.size(); ++p) {
        if (pairs_[p].client == from || pairs_[p].server == from) index = p;
      }
      if (index == pairs_.size()) continue;  // closed meanwhile
      const int to = pairs_[index].client == from ? pairs_[index].server : pairs_[index].client;
      const ssize_t n = ::read(from, buf.data(), buf.size());
      // One side closed (or failed): close the other one too.
      if (n <= 0 || !SendAll(to, buf.data(), static_cast<size_t>(n))) ClosePairLocked(index);
    }
  }
}

void TcpRelay::Accept() {
  const int client = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
  if (client < 0) return;
  const int server = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr = Loopback(target_port_);
  if (::connect(server, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(client);
    ::close(server);
    return;
  }
  ++accepted_;
  std::lock_guard lock(mu_);
  pairs_.push_back({client, server});
}

}  // namespace timd::test
