// The history, lookup, import and batch-send methods of tim.v1.Messages
// (history.proto, message_import.proto), kept apart from the service's
// other handlers.
#include <utility>

#include "api/messages_service.h"

namespace timd::api {

grpc::ServerUnaryReactor* MessagesService::FindMessages(grpc::CallbackServerContext* ctx,
                                                        const grpc::ByteBuffer* request, grpc::ByteBuffer* response) {
  return gate_.Unary<tim::v1::FindMessagesRequest, tim::v1::FindMessagesResponse>(
      "FindMessages", ctx, request, response,
      [messages = &messages_](const tim::v1::FindMessagesRequest& req,
                              domain::Done<tim::v1::FindMessagesResponse> done) { done(messages->FindMessages(req)); });
}

grpc::ServerUnaryReactor* MessagesService::FindMessagesByLocator(grpc::CallbackServerContext* ctx,
                                                                 const grpc::ByteBuffer* request,
                                                                 grpc::ByteBuffer* response) {
  return gate_.Unary<tim::v1::FindMessagesByLocatorRequest, tim::v1::FindMessagesByLocatorResponse>(
      "FindMessagesByLocator", ctx, request, response,
      [messages = &messages_](const tim::v1::FindMessagesByLocatorRequest& req,
                              domain::Done<tim::v1::FindMessagesByLocatorResponse> done) {
        done(messages->FindMessagesByLocator(req));
      });
}

grpc::ServerUnaryReactor* MessagesService::DeleteMessages(grpc::CallbackServerContext* ctx,
                                                          const grpc::ByteBuffer* request, grpc::ByteBuffer* response) {
  return gate_.Unary<tim::v1::DeleteMessagesRequest, tim::v1::DeleteMessagesResponse>(
      "DeleteMessages", ctx, request, response,
      [messages = &messages_](const tim::v1::DeleteMessagesRequest& req,
                              domain::Done<tim::v1::DeleteMessagesResponse> done) {
        messages->DeleteMessages(req, std::move(done));
      });
}

grpc::ServerUnaryReactor* MessagesService::ClearHistory(grpc::CallbackServerContext* ctx,
                                                        const grpc::ByteBuffer* request, grpc::ByteBuffer* response) {
  return gate_.Unary<tim::v1::ClearHistoryRequest, tim::v1::ClearHistoryResponse>(
      "ClearHistory", ctx, request, response,
      [messages = &messages_](const tim::v1::ClearHistoryRequest& req,
                              domain::Done<tim::v1::ClearHistoryResponse> done) {
        messages->ClearHistory(req, std::move(done));
      });
}

grpc::ServerUnaryReactor* MessagesService::SetLocalCustomData(grpc::CallbackServerContext* ctx,
                                                              const grpc::ByteBuffer* request,
                                                              grpc::ByteBuffer* response) {
  return gate_.Unary<tim::v1::SetLocalCustomDataRequest, tim::v1::SetLocalCustomDataResponse>(
      "SetLocalCustomData", ctx, request, response,
      [messages = &messages_](const tim::v1::SetLocalCustomDataRequest& req,
                              domain::Done<tim::v1::SetLocalCustomDataResponse> done) {
        messages->SetLocalCustomData(req, std::move(done));
      });
}

grpc::ServerUnaryReactor* MessagesService::SearchLocalMessages(grpc::CallbackServerContext* ctx,
                                                               const grpc::ByteBuffer* request,
                                                               grpc::ByteBuffer* response) {
  return gate_.Unary<tim::v1::SearchLocalMessagesRequest, tim::v1::SearchLocalMessagesResponse>(
      "SearchLocalMessages", ctx, request, response,
      [messages = &messages_](const tim::v1::SearchLocalMessagesRequest& req,
                              domain::Done<tim::v1::SearchLocalMessagesResponse> done) {
        done(messages->SearchLocalMessages(req));
      });
}

grpc::ServerUnaryReactor* MessagesService::ImportMessages(grpc::CallbackServerContext* ctx,
                                                          const grpc::ByteBuffer* request, grpc::ByteBuffer* response) {
  return gate_.Unary<tim::v1::ImportMessagesRequest, tim::v1::ImportMessagesResponse>(
      "ImportMessages", ctx, request, response,
      [messages = &messages_](const tim::v1::ImportMessagesRequest& req,
                              domain::Done<tim::v1::ImportMessagesResponse> done) {
        messages->ImportMessages(req, std::move(done));
      });
}

grpc::ServerUnaryReactor* MessagesService::BatchSend(grpc::CallbackServerContext* ctx, const grpc::ByteBuffer* request,
                                                     grpc::ByteBuffer* response) {
  return gate_.Unary<tim::v1::BatchSendRequest, tim::v1::BatchSendResponse>(
      "BatchSend", ctx, request, response,
      [messages = &messages_](const tim::v1::BatchSendRequest& req, domain::Done<tim::v1::BatchSendResponse> done) {
        messages->BatchSend(req, std::move(done));
      });
}

}  // namespace timd::api
