// Runs caps_peer.py (python3-slixmpp, an independent XMPP implementation)
// as another resource of an account and reads its JSON lines.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "support/child_process.h"
#include "support/prosody_fixture.h"
#include "support/temp_dir.h"

namespace timd::test {

class CapsPeer {
 public:
  // `mode`: inspect, good, bad or send (see caps_peer.py); `extra`: more flags.
  CapsPeer(const ProsodyServer& prosody, const std::string& user, const std::string& password,
           const std::string& mode, const std::vector<std::string>& extra = {});
  ~CapsPeer() { process_.Kill9(); }

  // Waits for a stdout line containing `key` ("\"ready\"", …); empty on timeout.
  std::string WaitForLine(const std::string& key, std::chrono::milliseconds timeout = std::chrono::seconds(20));
  std::string output() const;

 private:
  TempDir dir_;
  ChildProcess process_;
};

// The string value of "key": "..." in a JSON line (no escapes inside).
std::string JsonString(const std::string& line, const std::string& key);

}  // namespace timd::test
