// Turns a domain Status into the gRPC status of a call: the canonical code,
// the message, binary details holding a serialized tim.v1.ErrorDetail, and
// (through the server context) the text trailer "tim-error-code".
#pragma once

#include <grpcpp/grpcpp.h>

#include <cstdint>

#include "common/status.h"

namespace timd::api {

inline constexpr char kTimErrorCodeKey[] = "tim-error-code";

// What a Subscribe that cannot replay adds to its ErrorDetail (zero otherwise):
// the journal's oldest seq and the since_seq (or consumer cursor) asked for.
struct ReplayBounds {
  uint64_t oldest_available_seq = 0;
  uint64_t requested_since_seq = 0;
};

grpc::Status ToGrpcStatus(const Status& status, const ReplayBounds& bounds = {});

// ToGrpcStatus plus the "tim-error-code" trailer on `ctx` (for non-OK
// statuses). Call right before Finish, from the thread that finishes.
grpc::Status FinishStatus(grpc::CallbackServerContext* ctx, const Status& status,
                          const ReplayBounds& bounds = {});

}  // namespace timd::api
