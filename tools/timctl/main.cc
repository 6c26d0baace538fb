// timctl: a scriptable command-line client for timd's gRPC API.
#include <CLI/CLI.hpp>

#include <vector>

#include "commands.h"
#include "common_options.h"
#include "exit_codes.h"

int main(int argc, char** argv) {
  using namespace timctl;
  CommonOptions common;
  CLI::App app{"timctl: talk to timd (the local IM daemon) over its gRPC API (Unix socket, or TCP with a token)"};
  app.set_version_flag("--version", "timctl 0.1.0");
  AddCommonOptions(app, common);
  app.require_subcommand(1);
  app.footer(kExitCodesHelp);

  std::vector<Command> commands;
  AddAccountCommands(app, common, commands);
  AddMessageCommands(app, common, commands);
  AddReadCommands(app, common, commands);
  AddMessageEditCommands(app, common, commands);
  AddConversationCommands(app, common, commands);
  AddHistoryCommands(app, common, commands);
  AddImportCommands(app, common, commands);
  AddTailCommand(app, common, commands);
  AddMintCommand(app, common, commands);
  AddFileCommands(app, common, commands);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);  // prints help, version or the error
    return rc == 0 ? kExitOk : kExitUsage;
  }
  if (int rc = LoadToken(common); rc != kExitOk) return rc;
  for (const auto& command : commands) {
    if (command.app->parsed()) return command.run();
  }
  return kExitUsage;
}
