// How a domain operation answers the API layer: once, on the loop thread
// (the API layer then finishes its gRPC call from there, which the callback
// API allows).
#pragma once

#include <functional>

#include "common/status.h"

namespace timd::domain {

template <typename T>
using Done = std::function<void(Result<T>)>;

}  // namespace timd::domain
