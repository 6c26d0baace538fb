// The subcommands. Each Add* function registers its subcommand(s) on `app`
// and appends what to run when that subcommand was given.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <vector>

#include "common_options.h"

namespace timctl {

struct Command {
  CLI::App* app;
  std::function<int()> run;  // returns the exit code
};

void AddAccountCommands(CLI::App& app, CommonOptions& common, std::vector<Command>& commands);
void AddMessageCommands(CLI::App& app, CommonOptions& common, std::vector<Command>& commands);
void AddReadCommands(CLI::App& app, CommonOptions& common, std::vector<Command>& commands);
void AddMessageEditCommands(CLI::App& app, CommonOptions& common, std::vector<Command>& commands);
void AddConversationCommands(CLI::App& app, CommonOptions& common, std::vector<Command>& commands);
void AddHistoryCommands(CLI::App& app, CommonOptions& common, std::vector<Command>& commands);
void AddImportCommands(CLI::App& app, CommonOptions& common, std::vector<Command>& commands);
void AddTailCommand(CLI::App& app, CommonOptions& common, std::vector<Command>& commands);
void AddMintCommand(CLI::App& app, CommonOptions& common, std::vector<Command>& commands);
void AddFileCommands(CLI::App& app, CommonOptions& common, std::vector<Command>& commands);

}  // namespace timctl
