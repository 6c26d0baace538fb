// Wires the layers together and runs the loop: store, event bus, session,
// API server, signal handling and the orderly shutdown (log out politely,
// end API streams, flush the store).
#pragma once

#include "config/config.h"

namespace timd {

// Runs until SIGINT/SIGTERM; returns the process exit code.
int RunDaemon(const Config& config);

}  // namespace timd
