#include "integration/interop/csi_state.h"

#include <cstdio>
#include <sstream>
#include <thread>

namespace timd::test {

std::string CsiStates(const ProsodyServer& prosody) {
  const std::string command = "prosodyctl --config " + prosody.dir() +
                              "/prosody.cfg.lua shell \"c2s:show(nil, 'jid csi')\" 2>&1";
  std::string output;
  if (FILE* pipe = ::popen(command.c_str(), "r")) {
    char buffer[4096];
    size_t n;
    while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) output.append(buffer, n);
    ::pclose(pipe);
  }
  return output;
}

bool WaitForCsiState(const ProsodyServer& prosody, const std::string& full_jid, const std::string& state,
                     std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    std::istringstream lines(CsiStates(prosody));
    for (std::string line; std::getline(lines, line);) {
      // "alice@localhost/res        | inactive"
      std::istringstream words(line);
      std::string jid, bar, csi;
      if (words >> jid >> bar >> csi && jid == full_jid && csi == state) return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return false;
}

}  // namespace timd::test
