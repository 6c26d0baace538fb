#include "integration/interop/json_line_peer.h"

#include <sstream>
#include <thread>

namespace timd::test {

JsonLinePeer::JsonLinePeer(const std::string& script, const ProsodyServer& prosody, const std::string& user,
                           const std::string& password, const std::vector<std::string>& extra)
    : dir_("timd-slixmpp-peer") {
  std::vector<std::string> argv = {
      "/usr/bin/python3", std::string(TIMD_TEST_SOURCE_DIR) + "/tests/integration/interop/" + script,
      "--jid", user + "@" + ProsodyServer::kDomain, "--password", password, "--port",
      std::to_string(prosody.c2s_port()), "--ca-file", prosody.ca_file()};
  argv.insert(argv.end(), extra.begin(), extra.end());
  process_.Spawn(argv, dir_.File("out"), dir_.File("err"));
}

std::string JsonLinePeer::output() const { return ReadFile(dir_.File("out")) + FileTail(dir_.File("err")); }

std::string JsonLinePeer::WaitForLine(const std::string& key, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    std::istringstream lines(ReadFile(dir_.File("out")));
    for (std::string line; std::getline(lines, line);) {
      if (line.find(key) != std::string::npos) return line;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return "";
}

std::string JsonString(const std::string& line, const std::string& key) {
  const std::string pattern = "\"" + key + "\": \"";
  const size_t start = line.find(pattern);
  if (start == std::string::npos) return "";
  const size_t begin = start + pattern.size();
  return line.substr(begin, line.find('"', begin) - begin);
}

}  // namespace timd::test
