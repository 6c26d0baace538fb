// Turns a failed gRPC call into timctl's error output and exit code.
#pragma once

#include <grpcpp/grpcpp.h>

#include <string>

#include "common_options.h"
#include "exit_codes.h"

namespace timctl {

// The TIM error code of a failed call: the `tim-error-code` trailer, else the
// ErrorDetail in the status details; 0 when the daemon sent neither.
int TimCodeOf(const grpc::ClientContext& ctx, const grpc::Status& status);

// Prints the error to stderr (plus a JSON error object with --json) and
// returns kExitUnreachable for a transport failure (UNAVAILABLE without a TIM
// code), else kExitCallFailed.
int ReportCallError(const CommonOptions& options, const std::string& target,
                    const grpc::ClientContext& ctx, const grpc::Status& status);

// A local failure (not from the daemon): "timctl: <message>" on stderr, with
// --json also {"grpc_code":null,"tim_code":null,"message":...}.
void ReportLocalError(const CommonOptions& options, const std::string& message);

}  // namespace timctl
