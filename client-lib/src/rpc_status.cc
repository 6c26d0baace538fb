#include "rpc_status.h"

#include <cstdlib>

#include "tim/v1/common.pb.h"

namespace timclient {
namespace {

int32_t TrailerCode(const grpc::ClientContext* ctx) {
  if (!ctx) return 0;
  const auto& trailers = ctx->GetServerTrailingMetadata();
  auto it = trailers.find("tim-error-code");
  if (it == trailers.end()) return 0;
  return static_cast<int32_t>(std::strtol(std::string(it->second.data(), it->second.size()).c_str(), nullptr, 10));
}

int32_t TransportCode(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::UNAVAILABLE: return kErrNetDisconnect;
    case grpc::StatusCode::DEADLINE_EXCEEDED: return kErrRequestTimeout;
    case grpc::StatusCode::CANCELLED: return kErrInterrupted;
    case grpc::StatusCode::INVALID_ARGUMENT: return kErrInvalidParameters;
    case grpc::StatusCode::UNIMPLEMENTED: return kErrNotSupported;
    default: return kErrInternal;
  }
}

}  // namespace

TimError ToTimError(const grpc::Status& status, const grpc::ClientContext* ctx, const std::string& socket_path) {
  TimError error;
  if (status.ok()) return error;
  error.desc = status.error_message();
  tim::v1::ErrorDetail detail;
  if (!status.error_details().empty() && detail.ParseFromString(status.error_details()) && detail.tim_code() != 0) {
    error.code = detail.tim_code();
    if (!detail.message().empty()) error.desc = detail.message();
    error.oldest_available_seq = detail.oldest_available_seq();
    error.requested_since_seq = detail.requested_since_seq();
    return error;
  }
  error.code = TrailerCode(ctx);
  if (error.code != 0) return error;
  // No answer from timd itself: the call failed on the way.
  error.code = TransportCode(status.error_code());
  if (status.error_code() == grpc::StatusCode::UNAVAILABLE) {
    error.desc = "timd unreachable at " + socket_path + ": " + status.error_message();
  } else if (status.error_code() == grpc::StatusCode::CANCELLED) {
    error.desc = "interrupted: " + status.error_message();
  }
  return error;
}

}  // namespace timclient
