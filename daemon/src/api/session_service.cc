#include "api/session_service.h"

#include <utility>

namespace timd::api {

grpc::ServerUnaryReactor* SessionService::Login(grpc::CallbackServerContext* ctx, const grpc::ByteBuffer* request,
                                                grpc::ByteBuffer* response) {
  return gate_.Unary<tim::v1::LoginRequest, tim::v1::LoginResponse>(
      "Login", ctx, request, response,
      [session = &session_](const tim::v1::LoginRequest& req, domain::Done<tim::v1::LoginResponse> done) {
        session->Login(req, std::move(done));
      });
}

grpc::ServerUnaryReactor* SessionService::Logout(grpc::CallbackServerContext* ctx, const grpc::ByteBuffer* request,
                                                 grpc::ByteBuffer* response) {
  return gate_.Unary<tim::v1::LogoutRequest, tim::v1::LogoutResponse>(
      "Logout", ctx, request, response,
      [session = &session_](const tim::v1::LogoutRequest&, domain::Done<tim::v1::LogoutResponse> done) {
        session->Logout(std::move(done));
      });
}

grpc::ServerUnaryReactor* SessionService::GetLoginStatus(grpc::CallbackServerContext* ctx,
                                                         const grpc::ByteBuffer* request, grpc::ByteBuffer* response) {
  return gate_.Unary<tim::v1::GetLoginStatusRequest, tim::v1::GetLoginStatusResponse>(
      "GetLoginStatus", ctx, request, response,
      [session = &session_](const tim::v1::GetLoginStatusRequest&, domain::Done<tim::v1::GetLoginStatusResponse> done) {
        done(session->GetLoginStatus());
      });
}

}  // namespace timd::api
