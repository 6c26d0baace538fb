// timd: entry point. Parses the configuration, sets up logging and signal
// masks, then runs the daemon.
#include <signal.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <sys/prctl.h>

#include <iostream>

#include "config/config.h"
#include "config/secret_files.h"
#include "daemon.h"

int main(int argc, char** argv) {
  // Passwords and tokens in memory must not land in a core dump; this also
  // keeps other processes of the same user from ptrace and /proc/PID/mem.
  prctl(PR_SET_DUMPABLE, 0);
  int exit_code = -1;
  auto config = timd::LoadConfig(argc, argv, &exit_code);
  if (!config.ok()) {
    if (exit_code == 0) return 0;  // --help or --version
    std::cerr << "timd: " << config.status().message() << "\n";
    return exit_code > 0 ? exit_code : 2;
  }
  if (auto refusal = timd::ResolveSecretFiles(config.value())) {
    std::cerr << "timd: " << refusal->message << "\n";
    return refusal->exit_code;
  }

  auto logger = spdlog::stderr_color_mt("timd");
  spdlog::set_default_logger(logger);
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");
  spdlog::set_level(spdlog::level::from_str(config.value().log_level));

  // A vanished peer must surface as a write error, not kill the daemon.
  signal(SIGPIPE, SIG_IGN);
  // Threads started from here on (gRPC's) inherit a mask without SIGINT and
  // SIGTERM, so the loop thread alone receives them.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);

  return timd::RunDaemon(config.value());
}
