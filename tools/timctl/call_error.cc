#include "call_error.h"

#include <charconv>
#include <iostream>
#include <nlohmann/json.hpp>

#include "tim/v1/common.pb.h"

namespace timctl {

int TimCodeOf(const grpc::ClientContext& ctx, const grpc::Status& status) {
  const auto& trailers = ctx.GetServerTrailingMetadata();
  if (auto it = trailers.find("tim-error-code"); it != trailers.end()) {
    int code = 0;
    const char* begin = it->second.data();
    if (std::from_chars(begin, begin + it->second.size(), code).ec == std::errc()) return code;
  }
  tim::v1::ErrorDetail detail;
  if (!status.error_details().empty() && detail.ParseFromString(status.error_details())) {
    return detail.tim_code();
  }
  return 0;
}

int ReportCallError(const CommonOptions& options, const std::string& target,
                    const grpc::ClientContext& ctx, const grpc::Status& status) {
  int tim_code = TimCodeOf(ctx, status);
  bool unreachable = status.error_code() == grpc::StatusCode::UNAVAILABLE && tim_code == 0;
  std::string message = status.error_message();
  if (unreachable) message = "timd unreachable at " + target + ": " + message;

  std::cerr << "timctl: " << message << " (grpc code " << static_cast<int>(status.error_code())
            << ", tim code " << tim_code << ")\n";
  if (options.json) {
    nlohmann::json error = {{"grpc_code", static_cast<int>(status.error_code())},
                            {"tim_code", tim_code},
                            {"message", message}};
    std::cerr << error.dump() << '\n';
  }
  std::cerr.flush();
  return unreachable ? kExitUnreachable : kExitCallFailed;
}

void ReportLocalError(const CommonOptions& options, const std::string& message) {
  std::cerr << "timctl: " << message << '\n';
  if (options.json) {
    nlohmann::json error = {{"grpc_code", nullptr}, {"tim_code", nullptr}, {"message", message}};
    std::cerr << error.dump() << '\n';
  }
  std::cerr.flush();
}

}  // namespace timctl
