#pragma once

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "support/child_process.h"
#include "support/temp_dir.h"
#include "tim/v1/common.pb.h"
#include "timd/api_stubs.h"

namespace timd::test {

class ProsodyServer;

// Runs the timd binary (env TIMD_BINARY, else the build's) in its own temp dir
// (under `temp_base`, default see TempDir): socket dir()/timd.sock, state dir
// dir()/state, stderr in dir()/timd.log.
// The dir survives Stop()/Start(), so a restart keeps the store and journal.
// Failures throw std::runtime_error with the log tail.
class TimdProcess {
 public:
  explicit TimdProcess(const std::string& temp_base = "");
  ~TimdProcess();
  TimdProcess(const TimdProcess&) = delete;
  TimdProcess& operator=(const TimdProcess&) = delete;

  // Server flags for `prosody` (domain, 127.0.0.1, port, TLS mode, CA file).
  void UseProsody(const ProsodyServer& prosody, bool direct_tls = false);
  // The same over STARTTLS, but connecting to `port` (a TcpRelay in front
  // of `prosody`) instead of the server's own port.
  void UseProsodyVia(const ProsodyServer& prosody, uint16_t port);
  // Auto-login at start: --user plus a password file written into dir().
  void LoginAs(const std::string& user, const std::string& password);
  // Any further flags, e.g. {"--journal-retention", "100"}.
  void AddArgs(const std::vector<std::string>& args);
  // An environment change for timd: a value, or nullopt to unset the name.
  // $NOTIFY_SOCKET and $WATCHDOG_* are unset unless set here.
  void SetEnv(const std::string& name, std::optional<std::string> value);
  // Runs timd through a launcher that execs it in place (so pid() is
  // timd's), e.g. {"systemd-socket-activate", "-l", path} or setpriv.
  void WrapWith(std::vector<std::string> launcher) { launcher_ = std::move(launcher); }

  // Spawns timd and waits until its socket answers GetLoginStatus (15 s).
  void Start();
  // Spawns timd without waiting for anything.
  void Spawn();
  // Waits up to `timeout` for timd to exit on its own; its wait status.
  std::optional<int> WaitExit(std::chrono::milliseconds timeout);
  // SIGTERM and wait; throws unless timd exits 0.
  void Stop();
  void Kill9();
  // Stop() then Start() with the same flags and state.
  void Restart();
  bool running() const { return process_.running(); }
  pid_t pid() const { return process_.pid(); }

  std::string log() const;
  const std::string& dir() const { return dir_.path(); }
  std::string socket_path() const { return dir_.File("timd.sock"); }
  std::string state_dir() const { return dir_.File("state"); }

  std::shared_ptr<grpc::Channel> Channel() const;
  std::unique_ptr<timd::ApiStubs> Stubs() const;

  // Polls GetLoginStatus until it reports LOGINED (or the timeout passes).
  // GetLoginStatus's status; LOGIN_STATUS_UNSPECIFIED when the call fails.
  tim::v1::LoginStatus LoginStatus() const;
  bool WaitLoggedIn(std::chrono::milliseconds timeout = std::chrono::seconds(15)) const;

 private:
  std::vector<std::string> Argv() const;

  TempDir dir_;
  std::vector<std::string> launcher_;
  std::vector<std::string> args_;
  EnvChanges env_;
  ChildProcess process_;
};

// The path of a built program: TIMD_BINARY_DIR (env, else this build) + "/" + relative.
std::string BuiltProgram(const std::string& relative);

}  // namespace timd::test
