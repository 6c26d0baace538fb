#include "secret_input.h"

#include <termios.h>
#include <unistd.h>

#include <fstream>
#include <iostream>
#include <iterator>

namespace timctl {
namespace {

std::optional<std::string> FirstLineOf(std::istream& in) {
  std::string line;
  if (!std::getline(in, line) || line.empty()) return std::nullopt;
  return line;
}

}  // namespace

std::optional<std::string> ReadFirstLine(const std::string& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  return FirstLineOf(in);
}

std::optional<std::string> ReadStdinFirstLine() { return FirstLineOf(std::cin); }

std::optional<std::string> PromptPassword(const std::string& prompt) {
  if (!isatty(STDIN_FILENO)) return std::nullopt;
  termios saved{};
  if (tcgetattr(STDIN_FILENO, &saved) != 0) return std::nullopt;
  termios quiet = saved;
  quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
  std::cerr << prompt << std::flush;
  tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
  auto line = FirstLineOf(std::cin);
  tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
  std::cerr << '\n';
  return line;
}

std::optional<std::string> ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::string contents{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  if (in.bad()) return std::nullopt;
  return contents;
}

}  // namespace timctl
