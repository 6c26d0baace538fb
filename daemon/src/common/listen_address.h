// HOST:PORT listen addresses of the API's TCP listener.
#pragma once

#include <string>

#include "common/status.h"

namespace timd {

// Checks that `address` is HOST:PORT or [HOST]:PORT with a port of 0 to 65535.
Status ValidateListenAddress(const std::string& address);
// The same, and HOST must be loopback (127.0.0.0/8, ::1 or localhost).
Status ValidateLoopbackAddress(const std::string& address);

}  // namespace timd
