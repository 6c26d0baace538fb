// A client program (an app using libtimclient) as a child process with its
// stdout+stderr in its own file, and the polling helpers tests use with it.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "support/child_process.h"
#include "support/temp_dir.h"

namespace timd::test {

// Polls `done` every 50 ms until it holds or `timeout` passed; its last value.
bool Eventually(const std::function<bool()>& done, std::chrono::milliseconds timeout = std::chrono::seconds(20));

// The lines of `text`, without their '\n'.
std::vector<std::string> Lines(const std::string& text);

class AppProcess {
 public:
  // `program`: relative to the build dir (see BuiltProgram).
  AppProcess(const std::string& program, std::vector<std::string> args);

  void Start();
  std::string output() const;
  bool WaitOutput(const std::string& needle, std::chrono::milliseconds timeout = std::chrono::seconds(20));
  // SIGTERM; the exit status.
  std::optional<int> Stop();
  std::optional<int> Wait(std::chrono::milliseconds timeout = std::chrono::seconds(30));
  pid_t pid() const { return process_.pid(); }

 private:
  TempDir dir_;
  std::vector<std::string> argv_;
  ChildProcess process_;
};

}  // namespace timd::test
