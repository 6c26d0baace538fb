#include "common_options.h"

#include "call_error.h"
#include "exit_codes.h"
#include "instance_socket.h"
#include "secret_input.h"

namespace timctl {

void AddCommonOptions(CLI::App& app, CommonOptions& options) {
  auto* socket = app.add_option("--socket", options.socket,
                                "timd's API socket (default: $TIMD_SOCKET, else $RUNTIME_DIRECTORY/timd.sock, "
                                "else /run/timd/timd.sock)");
  app.add_option("--instance", options.instance,
                 "reach the timd instance NAME (systemd unit timd@NAME): socket $TIMD_RUNTIME_DIR/NAME.sock, "
                 "else /run/timd/NAME.sock")
      ->excludes(socket)
      ->check([](const std::string& name) {
        return timclient::IsValidInstanceName(name) ? std::string()
                                                    : "1-64 of [A-Za-z0-9._-], not starting with '.'";
      });
  app.add_option("--tcp", options.tcp,
                 "connect to timd's TCP listener (its tcp_listen HOST:PORT) instead of the socket; needs "
                 "--token-file");
  app.add_option("--token-file", options.token_file,
                 "with --tcp: file whose first line is timd's API token (timd's STATE_DIR/api-token)");
  app.add_option("--tcp-ca", options.tcp_ca_file,
                 "with --tcp: timd serves TLS there; verify its certificate with this CA file (PEM)");
  app.add_flag("--json", options.json, "machine output: one JSON object per line");
  app.add_option("--timeout", options.timeout_s, "seconds to wait for a call to complete (default 60)")
      ->check(CLI::PositiveNumber);
}

int LoadToken(CommonOptions& options) {
  if (options.tcp.empty()) {
    if (options.token_file.empty() && options.tcp_ca_file.empty()) return kExitOk;
    ReportLocalError(options, "--token-file and --tcp-ca go with --tcp");
    return kExitUsage;
  }
  if (options.token_file.empty()) {
    ReportLocalError(options, "--tcp needs --token-file (timd's STATE_DIR/api-token)");
    return kExitUsage;
  }
  auto token = ReadFirstLine(options.token_file);
  if (!token) {
    ReportLocalError(options, "cannot read a token from " + options.token_file);
    return kExitLocalInput;
  }
  options.token = std::move(*token);
  return kExitOk;
}

}  // namespace timctl
