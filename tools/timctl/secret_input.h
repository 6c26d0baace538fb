// Reading passwords and secrets without putting them on argv.
#pragma once

#include <optional>
#include <string>

namespace timctl {

// The first line of a file (without "\n"); nullopt when unreadable or empty.
std::optional<std::string> ReadFirstLine(const std::string& path);
// The first line of stdin; nullopt when there is none or it is empty.
std::optional<std::string> ReadStdinFirstLine();
// Prompts on the terminal with echo off; nullopt when stdin is not a terminal.
std::optional<std::string> PromptPassword(const std::string& prompt);
// A whole file; nullopt when unreadable.
std::optional<std::string> ReadWholeFile(const std::string& path);

}  // namespace timctl
