#pragma once

#include <string>
#include <vector>

#include "support/child_process.h"
#include "support/temp_dir.h"

namespace timd::test {

// A private mount namespace (unshare --mount, private propagation) prepared
// by a shell command and kept alive by a holder process, so that programs can
// be started in it at any time and see its mounts; nothing outside does.
class MountNamespace {
 public:
  // Runs `sh -c setup` (with `args` as $0, $1, ...) in a new namespace; files
  // go into `scratch`. Waits up to 5 s for it; see ready().
  MountNamespace(const TempDir& scratch, const std::string& setup, const std::vector<std::string>& args = {});

  // Whether `setup` succeeded (it may not be permitted here).
  bool ready() const { return ready_; }
  // The setup's output, for messages.
  std::string log() const;

  // argv prefix that runs a program in the namespace (nsenter execs it).
  std::vector<std::string> Launcher() const;
  // Runs `command` with sh in the namespace; its exit status.
  int Run(const std::string& command) const;

 private:
  std::string log_path_;
  bool ready_ = false;
  ChildProcess holder_;
};

}  // namespace timd::test
