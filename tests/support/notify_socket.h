#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace timd::test {

// One sd_notify(3) datagram, e.g. "READY=1\nSTATUS=not logged in".
struct NotifyMessage {
  std::string text;
  std::chrono::steady_clock::time_point received;

  // The value of `name` in it ("STATUS" -> "not logged in"), if assigned.
  std::optional<std::string> Get(const std::string& name) const;
  bool Has(const std::string& assignment) const;  // a whole line, e.g. "READY=1"
};

// A stand-in for systemd's notification socket ($NOTIFY_SOCKET): an
// AF_UNIX datagram socket at `path` that receives what a service sends.
class NotifySocket {
 public:
  explicit NotifySocket(std::string path);
  ~NotifySocket();
  NotifySocket(const NotifySocket&) = delete;
  NotifySocket& operator=(const NotifySocket&) = delete;

  const std::string& path() const { return path_; }
  // The next message, or nullopt after `timeout` without one (0 = only
  // what is already queued).
  std::optional<NotifyMessage> Next(std::chrono::milliseconds timeout);
  // Reads until a message satisfies `match` and returns it; nullopt after
  // `timeout`. Every message read is kept in received().
  std::optional<NotifyMessage> WaitFor(const std::function<bool(const NotifyMessage&)>& match,
                                       std::chrono::milliseconds timeout);
  const std::vector<NotifyMessage>& received() const { return received_; }
  std::string Describe() const;  // every message so far, for failure output

 private:
  std::string path_;
  int fd_ = -1;
  std::vector<NotifyMessage> received_;
};

}  // namespace timd::test
