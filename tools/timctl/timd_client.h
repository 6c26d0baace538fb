// A gRPC connection to timd plus the one-call-and-print helper the commands share.
#pragma once

#include <grpcpp/grpcpp.h>

#include <functional>
#include <memory>
#include <string>

#include "call_error.h"
#include "common_options.h"
#include "output.h"
#include "tim/v1/timd.grpc.pb.h"

namespace timctl {

class TimdClient {
 public:
  explicit TimdClient(const CommonOptions& options);

  tim::v1::Timd::Stub& stub() { return *stub_; }
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
  std::unique_ptr<tim::v1::Timd::Stub> stub_;
};

template <typename Request, typename Response>
using UnaryMethod = grpc::Status (tim::v1::Timd::Stub::*)(grpc::ClientContext*, const Request&, Response*);

// Runs one unary call. On success prints the response (as JSON with --json,
// else `human(response)` unless that is empty) and returns kExitOk; on
// failure reports the error and returns its exit code.
template <typename Request, typename Response>
int CallAndPrint(TimdClient& client, UnaryMethod<Request, Response> method, const Request& request,
                 const std::function<std::string(const Response&)>& human) {
  grpc::ClientContext ctx;
  client.PrepareUnary(ctx);
  Response response;
  grpc::Status status = (client.stub().*method)(&ctx, request, &response);
  if (!status.ok()) return ReportCallError(client.options(), client.target(), ctx, status);
  if (client.options().json) {
    PrintLine(ToJson(response));
  } else if (std::string text = human(response); !text.empty()) {
    PrintLine(text);
  }
  return kExitOk;
}

}  // namespace timctl
