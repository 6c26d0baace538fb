// Runs one of the python3-slixmpp peers of this directory (an independent
// XMPP implementation) and reads the JSON lines it prints.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "support/child_process.h"
#include "support/prosody_fixture.h"
#include "support/temp_dir.h"

namespace timd::test {

class JsonLinePeer {
 public:
  // Runs /usr/bin/python3 tests/integration/interop/`script` as `user`
  // against `prosody` (--jid, --password, --port, --ca-file) with `extra` flags.
  JsonLinePeer(const std::string& script, const ProsodyServer& prosody, const std::string& user,
               const std::string& password, const std::vector<std::string>& extra);
  ~JsonLinePeer() { process_.Kill9(); }

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
