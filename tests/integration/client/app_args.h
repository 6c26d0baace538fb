// What the test apps of this directory read from their command line:
// "--name value" pairs, and the sig (password) from the first line of
// --sig-file.
#pragma once

#include <fstream>
#include <map>
#include <string>

namespace timd::test {

struct AppArgs {
  std::map<std::string, std::string> values;  // by "--name"
  std::string sig;                            // first line of --sig-file; "" if unreadable
};

inline AppArgs ParseAppArgs(int argc, char** argv) {
  AppArgs parsed;
  for (int i = 1; i + 1 < argc; i += 2) parsed.values[argv[i]] = argv[i + 1];
  std::ifstream sig_in(parsed.values["--sig-file"]);
  std::getline(sig_in, parsed.sig);
  return parsed;
}

}  // namespace timd::test
