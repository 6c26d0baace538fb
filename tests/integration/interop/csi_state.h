// The XEP-0352 state Prosody holds for a client session, read from the
// server itself (mod_admin_shell's c2s:show), not from what timd logs.
#pragma once

#include <chrono>
#include <string>

#include "support/prosody_fixture.h"

namespace timd::test {

// Prosody's table of client sessions with their CSI state column.
std::string CsiStates(const ProsodyServer& prosody);
// Polls until the session of `full_jid` is in `state` ("active", "inactive").
bool WaitForCsiState(const ProsodyServer& prosody, const std::string& full_jid, const std::string& state,
                     std::chrono::milliseconds timeout = std::chrono::seconds(10));

}  // namespace timd::test
