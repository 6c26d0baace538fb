// timctl's documented exit codes (see `timctl --help` and the README).
#pragma once

namespace timctl {

enum ExitCode : int {
  kExitOk = 0,
  kExitUsage = 1,        // bad command line
  kExitUnreachable = 2,  // no daemon answering on the socket, or the connection dropped
  kExitCallFailed = 3,   // the daemon answered with an error
  kExitLocalInput = 4,   // a password or secret file (or stdin) could not be read or is empty
};

inline constexpr const char* kExitCodesHelp =
    "Exit codes:\n"
    "  0  success (tail: also on SIGINT/SIGTERM or after --count events)\n"
    "  1  usage error\n"
    "  2  timd unreachable (nothing answers on the socket, or the connection dropped)\n"
    "  3  the call failed: gRPC code, TIM error code and message on stderr\n"
    "     (with --json also {\"grpc_code\":..,\"tim_code\":..,\"message\":..} on stderr)\n"
    "  4  a password or secret file, or stdin, could not be read or is empty";

}  // namespace timctl
