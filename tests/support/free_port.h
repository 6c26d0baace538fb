#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace timd::test {

// Distinct loopback TCP ports that were free a moment ago: each is bound on
// 127.0.0.1:0 and released only after all are picked, so they differ.
std::vector<uint16_t> FreePorts(size_t count);
uint16_t FreePort();

}  // namespace timd::test
