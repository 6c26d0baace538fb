// Options every subcommand accepts (also before the subcommand name).
#pragma once

#include <CLI/CLI.hpp>

#include <string>

namespace timctl {

struct CommonOptions {
  std::string socket;      // empty: DefaultSocketPath()
  bool json = false;       // machine output, one JSON object per line
  double timeout_s = 60;   // deadline of unary calls
};

// Adds --socket, --json and --timeout to `app`, bound to `options`.
void AddCommonOptions(CLI::App& app, CommonOptions& options);

}  // namespace timctl
