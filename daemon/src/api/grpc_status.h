// Turns a domain Status into the gRPC status of a call: the canonical code,
// the message, binary details holding a serialized tim.v1.ErrorDetail, and
// (through the server context) the text trailer "tim-error-code".
#pragma once

#include <grpcpp/grpcpp.h>

#include <cstdint>

#include "common/status.h"

namespace timd::api {

inline constexpr char kTimErrorCodeKey[] = "tim-error-code";

// `oldest_available_seq` is set for Subscribe's OUT_OF_RANGE only.
grpc::Status ToGrpcStatus(const Status& status, uint64_t oldest_available_seq = 0);

// ToGrpcStatus plus the "tim-error-code" trailer on `ctx` (for non-OK
// statuses). Call right before Finish, from the thread that finishes.
grpc::Status FinishStatus(grpc::CallbackServerContext* ctx, const Status& status,
                          uint64_t oldest_available_seq = 0);

}  // namespace timd::api
