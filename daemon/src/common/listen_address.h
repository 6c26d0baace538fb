// HOST:PORT addresses: the API's TCP listener, and the DNS servers timd asks.
#pragma once

#include <string>

#include "common/status.h"

namespace timd {

// Checks that `address` is HOST:PORT or [HOST]:PORT with a port of 0 to 65535.
Status ValidateListenAddress(const std::string& address);
// The same, and HOST must be loopback (127.0.0.0/8, ::1 or localhost).
Status ValidateLoopbackAddress(const std::string& address);

// Checks a DNS server entry: an IP address, ADDRESS:PORT or [IPv6]:PORT.
Status ValidateDnsServerAddress(const std::string& address);

}  // namespace timd
