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
        messages->GetMessages(req, std::move(done));
      });
}

grpc::ServerUnaryReactor* MessagesService::RevokeMessage(grpc::CallbackServerContext* ctx,
                                                         const grpc::ByteBuffer* request, grpc::ByteBuffer* response) {
  return gate_.Unary<tim::v1::RevokeMessageRequest, tim::v1::RevokeMessageResponse>(
      "RevokeMessage", ctx, request, response,
      [messages = &messages_](const tim::v1::RevokeMessageRequest& req,
                              domain::Done<tim::v1::RevokeMessageResponse> done) {
        messages->RevokeMessage(req, std::move(done));
      });
}

grpc::ServerUnaryReactor* MessagesService::ModifyMessage(grpc::CallbackServerContext* ctx,
                                                         const grpc::ByteBuffer* request, grpc::ByteBuffer* response) {
  return gate_.Unary<tim::v1::ModifyMessageRequest, tim::v1::ModifyMessageResponse>(
      "ModifyMessage", ctx, request, response,
      [messages = &messages_](const tim::v1::ModifyMessageRequest& req,
                              domain::Done<tim::v1::ModifyMessageResponse> done) {
        messages->ModifyMessage(req, std::move(done));
      });
}

grpc::ServerUnaryReactor* MessagesService::DownloadElemToPath(grpc::CallbackServerContext* ctx,
                                                              const grpc::ByteBuffer* request,
                                                              grpc::ByteBuffer* response) {
  return gate_.Unary<tim::v1::DownloadElemToPathRequest, tim::v1::DownloadElemToPathResponse>(
      "DownloadElemToPath", ctx, request, response,
      [messages = &messages_](const tim::v1::DownloadElemToPathRequest& req,
                              domain::Done<tim::v1::DownloadElemToPathResponse> done) {
        messages->DownloadElemToPath(req, std::move(done));
      });
}

grpc::ServerUnaryReactor* MessagesService::CancelSend(grpc::CallbackServerContext* ctx,
                                                      const grpc::ByteBuffer* request, grpc::ByteBuffer* response) {
  return gate_.Unary<tim::v1::CancelSendRequest, tim::v1::CancelSendResponse>(
      "CancelSend", ctx, request, response,
      [messages = &messages_](const tim::v1::CancelSendRequest& req, domain::Done<tim::v1::CancelSendResponse> done) {
        messages->CancelSend(req, std::move(done));
      });
}

}  // namespace timd::api
