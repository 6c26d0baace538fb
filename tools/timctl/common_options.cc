#include "common_options.h"

namespace timctl {

void AddCommonOptions(CLI::App& app, CommonOptions& options) {
  app.add_option("--socket", options.socket,
                 "timd's API socket (default: $TIMD_SOCKET, else $RUNTIME_DIRECTORY/timd.sock, "
                 "else /run/timd/timd.sock)");
  app.add_flag("--json", options.json, "machine output: one JSON object per line");
  app.add_option("--timeout", options.timeout_s, "seconds to wait for a call to complete (default 60)")
      ->check(CLI::PositiveNumber);
}

}  // namespace timctl
