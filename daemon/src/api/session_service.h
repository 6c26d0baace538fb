// tim.v1.Session (session.proto): the daemon's login. Each handler hands its call to
// the CallGate, which runs the domain method on the loop thread.
#pragma once

#include <grpcpp/grpcpp.h>

#include "api/call_gate.h"
#include "domain/session_calls.h"
#include "tim/v1/session.grpc.pb.h"

namespace timd::api {

// Every method raw (bytes in, bytes out; see raw_messages.h).
using SessionServiceBase = tim::v1::Session::WithRawCallbackMethod_Login<tim::v1::Session::WithRawCallbackMethod_Logout<
    tim::v1::Session::WithRawCallbackMethod_GetLoginStatus<tim::v1::Session::CallbackService>>>;

class SessionService final : public SessionServiceBase {
 public:
  SessionService(CallGate& gate, domain::SessionCalls& session) : gate_(gate), session_(session) {}

  grpc::ServerUnaryReactor* Login(grpc::CallbackServerContext* ctx, const grpc::ByteBuffer* request,
                                  grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* Logout(grpc::CallbackServerContext* ctx, const grpc::ByteBuffer* request,
                                   grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* GetLoginStatus(grpc::CallbackServerContext* ctx, const grpc::ByteBuffer* request,
                                           grpc::ByteBuffer* response) override;

 private:
  CallGate& gate_;
  domain::SessionCalls& session_;
};

}  // namespace timd::api
