#pragma once

#include <sys/types.h>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace timd::test {

// Changes to the inherited environment: name -> value, nullopt = unset.
using EnvChanges = std::map<std::string, std::optional<std::string>>;

// A child process in its own process group that dies with the test
// (PR_SET_PDEATHSIG: note it fires when the *thread* that spawned it exits,
// so spawn from the test's main thread). stdout and stderr go to files.
class ChildProcess {
 public:
  ChildProcess() = default;
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // argv[0] is the executable path (looked up in PATH when it has no '/').
  // An empty stderr_path sends stderr to stdout_path. The child inherits
  // this process's environment with `env` applied.
  void Spawn(const std::vector<std::string>& argv, const std::string& stdout_path,
             const std::string& stderr_path = "", const EnvChanges& env = {});

  bool running() const { return pid_ > 0; }
  pid_t pid() const { return pid_; }

  // Non-blocking reap. Returns the wait status once the child has exited.
  std::optional<int> TryWait();
  // Waits up to `timeout` for the child to exit on its own.
  std::optional<int> Wait(std::chrono::milliseconds timeout);
  // SIGTERM, wait up to `grace`, then SIGKILL to the group. Returns the wait
  // status; nullopt when it had to be killed (or was not running).
  std::optional<int> Terminate(std::chrono::milliseconds grace = std::chrono::seconds(10));
  // SIGKILL to the whole process group, then reap.
  void Kill9();

 private:
  pid_t pid_ = -1;
};

// "exit 0", "signal 9", ... for failure messages.
std::string DescribeWaitStatus(int status);

}  // namespace timd::test
