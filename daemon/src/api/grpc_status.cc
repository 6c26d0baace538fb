#include "api/grpc_status.h"

#include <string>

#include "tim/v1/common.pb.h"

namespace timd::api {

grpc::Status ToGrpcStatus(const Status& status, const ReplayBounds& bounds) {
  if (status.ok()) return grpc::Status::OK;
  tim::v1::ErrorDetail detail;
  detail.set_tim_code(status.tim_code());
  detail.set_message(status.message());
  detail.set_oldest_available_seq(bounds.oldest_available_seq);
  detail.set_requested_since_seq(bounds.requested_since_seq);
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()), status.message(),
                      detail.SerializeAsString());
}

grpc::Status FinishStatus(grpc::CallbackServerContext* ctx, const Status& status,
                          const ReplayBounds& bounds) {
  if (!status.ok()) ctx->AddTrailingMetadata(kTimErrorCodeKey, std::to_string(status.tim_code()));
  return ToGrpcStatus(status, bounds);
}

}  // namespace timd::api
