#include "support/notify_socket.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <sstream>
#include <stdexcept>

namespace timd::test {

std::optional<std::string> NotifyMessage::Get(const std::string& name) const {
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.starts_with(name + "=")) return line.substr(name.size() + 1);
  }
  return std::nullopt;
}

bool NotifyMessage::Has(const std::string& assignment) const {
  const auto eq = assignment.find('=');
  return Get(assignment.substr(0, eq)) == assignment.substr(eq + 1);
}

NotifySocket::NotifySocket(std::string path) : path_(std::move(path)) {
  sockaddr_un addr{};
  if (path_.size() >= sizeof(addr.sun_path)) throw std::runtime_error("notify socket path too long: " + path_);
  addr.sun_family = AF_UNIX;
  std::memcpy(addr.sun_path, path_.data(), path_.size());
  fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0 || ::bind(fd_, reinterpret_cast<const sockaddr*>(&addr), sizeof(addr)) != 0) {
    throw std::runtime_error("notify socket " + path_ + ": " + std::strerror(errno));
  }
}

NotifySocket::~NotifySocket() {
  ::close(fd_);
  ::unlink(path_.c_str());
}

std::optional<NotifyMessage> NotifySocket::Next(std::chrono::milliseconds timeout) {
  pollfd pfd{fd_, POLLIN, 0};
  int ready;
  while ((ready = ::poll(&pfd, 1, static_cast<int>(timeout.count()))) < 0 && errno == EINTR) {
  }
  if (ready <= 0) return std::nullopt;
  char buf[4096];
  const ssize_t n = ::recv(fd_, buf, sizeof(buf), 0);
  if (n < 0) throw std::runtime_error(std::string("notify socket recv: ") + std::strerror(errno));
  NotifyMessage message{std::string(buf, static_cast<size_t>(n)), std::chrono::steady_clock::now()};
  received_.push_back(message);
  return message;
}

std::optional<NotifyMessage> NotifySocket::WaitFor(const std::function<bool(const NotifyMessage&)>& match,
                                                   std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    auto message = Next(std::max(left, std::chrono::milliseconds(0)));
    if (!message) return std::nullopt;
    if (match(*message)) return message;
  }
}

std::string NotifySocket::Describe() const {
  std::string out;
  for (const auto& message : received_) out += "[" + message.text + "] ";
  return out.empty() ? "(nothing received)" : out;
}

}  // namespace timd::test
