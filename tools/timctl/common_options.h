// Options every subcommand accepts (also before the subcommand name).
#pragma once

#include <CLI/CLI.hpp>

#include <string>

namespace timctl {

struct CommonOptions {
  std::string socket;      // empty: DefaultSocketPath()
  std::string instance;    // timd@INSTANCE: its socket instead (instance_socket.h)
  std::string tcp;         // HOST:PORT of timd's TCP listener instead of the socket
  std::string token_file;  // with tcp: first line = the API token
  std::string tcp_ca_file; // with tcp: use TLS and trust this CA (PEM)
  bool json = false;       // machine output, one JSON object per line
  double timeout_s = 60;   // deadline of unary calls
  std::string token;       // read from token_file by LoadToken()
};

// Adds --socket, --instance, --tcp, --token-file, --tcp-ca, --json and --timeout to
// `app`, bound to `options`.
void AddCommonOptions(CLI::App& app, CommonOptions& options);

// With --tcp: reads the token from --token-file into options.token. Returns
// an exit code (kExitOk, kExitUsage without --token-file, kExitLocalInput when
// unreadable) after reporting the problem.
int LoadToken(CommonOptions& options);

}  // namespace timctl
