#include "api/messages_service.h"

#include <utility>

namespace timd::api {

grpc::ServerUnaryReactor* MessagesService::SendMessage(grpc::CallbackServerContext* ctx,
                                                       const grpc::ByteBuffer* request, grpc::ByteBuffer* response) {
  return gate_.Unary<tim::v1::SendMessageRequest, tim::v1::SendMessageResponse>(
      "SendMessage", ctx, request, response,
      [messages = &messages_](const tim::v1::SendMessageRequest& req, domain::Done<tim::v1::SendMessageResponse> done) {
        messages->SendMessage(req, std::move(done));
      });
}

grpc::ServerUnaryReactor* MessagesService::GetMessages(grpc::CallbackServerContext* ctx,
                                                       const grpc::ByteBuffer* request, grpc::ByteBuffer* response) {
  return gate_.Unary<tim::v1::GetMessagesRequest, tim::v1::GetMessagesResponse>(
      "GetMessages", ctx, request, response,
      [messages = &messages_](const tim::v1::GetMessagesRequest& req, domain::Done<tim::v1::GetMessagesResponse> done) {
        done(messages->GetMessages(req));
      });
}

}  // namespace timd::api
