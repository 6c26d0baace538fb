// Turns a finished gRPC call into TIM's (code, desc): the daemon's
// tim.v1.ErrorDetail (or its "tim-error-code" trailer) when present, else a
// TIM code for the transport failure (e.g. timd unreachable).
#pragma once

#include <grpcpp/grpcpp.h>

#include <cstdint>
#include <string>

namespace timclient {

struct TimError {
  int32_t code = 0;  // TIM ERR_* code, 0 on success
  std::string desc;
  // Subscribe OUT_OF_RANGE only: the journal's oldest seq and the since_seq
  // (or consumer cursor) that was asked for.
  uint64_t oldest_available_seq = 0;
  uint64_t requested_since_seq = 0;
};

// `ctx` may be null; it supplies the trailer when the details are missing.
TimError ToTimError(const grpc::Status& status, const grpc::ClientContext* ctx, const std::string& socket_path);

// TIM codes used by the library itself (TIMErrorCode.h values).
inline constexpr int32_t kErrInvalidParameters = 6017;
inline constexpr int32_t kErrRequestTimeout = 6012;
inline constexpr int32_t kErrInterrupted = 7009;
inline constexpr int32_t kErrInternal = 7012;
inline constexpr int32_t kErrNotSupported = 7013;
// timd: the events asked for are no longer in its journal.
inline constexpr int32_t kErrDatabaseNotFound = 7011;
inline constexpr int32_t kErrNetDisconnect = 9508;

}  // namespace timclient
