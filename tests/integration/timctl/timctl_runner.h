// Runs the built timctl as a child process and collects its output.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/temp_dir.h"

namespace timd::test {

struct TimctlResult {
  int exit_code = -1;  // -1: killed by a signal or timed out
  std::string out;
  std::string err;
  std::string Describe() const;  // for failure messages
  // stdout lines parsed as JSON (throws on a line that is not JSON).
  std::vector<nlohmann::json> JsonLines() const;
  // The last stderr line parsed as JSON (the --json error object).
  nlohmann::json ErrorJson() const;
};

std::string TimctlPath();

class TimctlRunner {
 public:
  // Runs `timctl args...`; `shell_stdin` (a file) is redirected to stdin when set.
  TimctlResult Run(const std::vector<std::string>& args, const std::string& shell_stdin = "",
                   std::chrono::seconds timeout = std::chrono::seconds(60));
  std::string NextFile(const std::string& name);  // a fresh file path in the runner's dir
  // A command that runs timctl, e.g. {"setpriv", "--reuid=1000", ...}; empty = none.
  void set_wrapper(std::vector<std::string> wrapper) { wrapper_ = std::move(wrapper); }

 private:
  std::vector<std::string> wrapper_;
  TempDir dir_{"timctl-run"};
  int runs_ = 0;
};

}  // namespace timd::test
