// A gRPC connection to timd plus the one-call-and-print helper the commands share.
#pragma once

#include <grpcpp/grpcpp.h>

#include <functional>
#include <memory>
#include <string>

#include "call_error.h"
#include "common_options.h"
#include "output.h"
#include "timd/api_stubs.h"

namespace timctl {

class TimdClient {
 public:
  explicit TimdClient(const CommonOptions& options);

  const timd::ApiStubs& stubs() const { return *stubs_; }
  const CommonOptions& options() const { return options_; }
  // Where timd is reached: the socket path, or HOST:PORT with --tcp.
  const std::string& target() const { return target_; }
  // Adds the API token to `ctx` when connected over TCP. Every call needs it.
  void Authorize(grpc::ClientContext& ctx) const;
  // Authorize() plus the unary-call deadline (--timeout).
  void PrepareUnary(grpc::ClientContext& ctx) const;

 private:
  CommonOptions options_;
  std::string target_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<timd::ApiStubs> stubs_;
};

template <typename Stub, typename Request, typename Response>
using UnaryMethod = grpc::Status (Stub::*)(grpc::ClientContext*, const Request&, Response*);

// Runs one unary call of `stub` (one of client.stubs()). On success prints the response (as JSON with --json,
// else `human(response)` unless that is empty) and returns kExitOk; on
// failure reports the error and returns its exit code.
template <typename Request, typename Response, typename Stub>
int CallAndPrint(TimdClient& client, Stub& stub, UnaryMethod<Stub, Request, Response> method, const Request& request,
                 const std::function<std::string(const Response&)>& human) {
  grpc::ClientContext ctx;
  client.PrepareUnary(ctx);
  Response response;
  grpc::Status status = (stub.*method)(&ctx, request, &response);
  if (!status.ok()) return ReportCallError(client.options(), client.target(), ctx, status);
  if (client.options().json) {
    PrintLine(ToJson(response));
  } else if (std::string text = human(response); !text.empty()) {
    PrintLine(text);
  }
  return kExitOk;
}

}  // namespace timctl
