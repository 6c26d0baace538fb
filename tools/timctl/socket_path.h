#pragma once

#include <string>

namespace timctl {

// $TIMD_SOCKET, else the daemon's own default: $RUNTIME_DIRECTORY/timd.sock
// (first entry of the list), else /run/timd/timd.sock.
std::string DefaultSocketPath();

}  // namespace timctl
