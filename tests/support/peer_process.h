#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "support/child_process.h"
#include "support/temp_dir.h"

namespace timd::test {

class ProsodyServer;

// Runs tools/echo-peer/timd-echo-peer as one XMPP account: it answers every
// message with "echo: <body>" and records "<id>\t<body>" per message received.
class PeerProcess {
 public:
  PeerProcess(const ProsodyServer& prosody, const std::string& user, const std::string& password,
              bool direct_tls = false);
  ~PeerProcess();
  PeerProcess(const PeerProcess&) = delete;
  PeerProcess& operator=(const PeerProcess&) = delete;

  // Further flags, e.g. the --burst-* options; call before Start().
  void AddArgs(const std::vector<std::string>& args);
  // Spawns the peer and waits for its "echo-peer ready as <jid>" line (15 s).
  void Start();
  void Stop();  // SIGTERM and wait
  void Kill9();
  bool running() const { return process_.running(); }
  void Signal(int signo) const;  // e.g. SIGUSR1: starts the --burst-* burst

  const std::string& jid() const { return jid_; }  // from the ready line
  // One "<origin-id or id>\t<body>" line per message received so far.
  std::vector<std::string> ReceivedLines() const;
  // Waits until at least `count` lines were received.
  bool WaitReceived(size_t count, std::chrono::milliseconds timeout = std::chrono::seconds(15)) const;
  // Waits until the peer's stdout holds `text`.
  bool WaitForOutput(const std::string& text, std::chrono::milliseconds timeout) const;
  std::string output() const;  // stdout + stderr of the peer

 private:
  TempDir dir_;
  std::vector<std::string> argv_;
  std::string jid_;
  ChildProcess process_;
};

}  // namespace timd::test
