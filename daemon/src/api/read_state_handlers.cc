// The read-state methods of tim.v1.Messages and tim.v1.Conversations
// (read_state.proto), kept apart from each service's other handlers.
#include <utility>

#include "api/conversations_service.h"
#include "api/messages_service.h"

namespace timd::api {

grpc::ServerUnaryReactor* MessagesService::ReportRead(grpc::CallbackServerContext* ctx,
                                                      const grpc::ByteBuffer* request, grpc::ByteBuffer* response) {
  return gate_.Unary<tim::v1::ReportReadRequest, tim::v1::ReportReadResponse>(
      "ReportRead", ctx, request, response,
      [messages = &messages_](const tim::v1::ReportReadRequest& req, domain::Done<tim::v1::ReportReadResponse> done) {
        messages->ReportRead(req, std::move(done));
      });
}

grpc::ServerUnaryReactor* MessagesService::SendMessageReadReceipts(grpc::CallbackServerContext* ctx,
                                                                   const grpc::ByteBuffer* request,
                                                                   grpc::ByteBuffer* response) {
  return gate_.Unary<tim::v1::SendMessageReadReceiptsRequest, tim::v1::SendMessageReadReceiptsResponse>(
      "SendMessageReadReceipts", ctx, request, response,
      [messages = &messages_](const tim::v1::SendMessageReadReceiptsRequest& req,
                              domain::Done<tim::v1::SendMessageReadReceiptsResponse> done) {
        messages->SendMessageReadReceipts(req, std::move(done));
      });
}

grpc::ServerUnaryReactor* MessagesService::GetMessageReadReceipts(grpc::CallbackServerContext* ctx,
                                                                  const grpc::ByteBuffer* request,
                                                                  grpc::ByteBuffer* response) {
  return gate_.Unary<tim::v1::GetMessageReadReceiptsRequest, tim::v1::GetMessageReadReceiptsResponse>(
      "GetMessageReadReceipts", ctx, request, response,
      [messages = &messages_](const tim::v1::GetMessageReadReceiptsRequest& req,
                              domain::Done<tim::v1::GetMessageReadReceiptsResponse> done) {
        done(messages->GetMessageReadReceipts(req));
      });
}

grpc::ServerUnaryReactor* ConversationsService::CleanConversationUnreadMessageCount(
    grpc::CallbackServerContext* ctx, const grpc::ByteBuffer* request, grpc::ByteBuffer* response) {
  return gate_.Unary<tim::v1::CleanUnreadRequest, tim::v1::CleanUnreadResponse>(
      "CleanConversationUnreadMessageCount", ctx, request, response,
      [conversations = &conversations_](const tim::v1::CleanUnreadRequest& req,
                                        domain::Done<tim::v1::CleanUnreadResponse> done) {
        conversations->CleanConversationUnreadMessageCount(req, std::move(done));
      });
}

grpc::ServerUnaryReactor* ConversationsService::GetTotalUnreadMessageCount(grpc::CallbackServerContext* ctx,
                                                                           const grpc::ByteBuffer* request,
                                                                           grpc::ByteBuffer* response) {
  return gate_.Unary<tim::v1::GetTotalUnreadRequest, tim::v1::GetTotalUnreadResponse>(
      "GetTotalUnreadMessageCount", ctx, request, response,
      [conversations = &conversations_](const tim::v1::GetTotalUnreadRequest& req,
                                        domain::Done<tim::v1::GetTotalUnreadResponse> done) {
        done(conversations->GetTotalUnreadMessageCount(req));
      });
}

grpc::ServerUnaryReactor* MessagesService::MarkAllMessageAsRead(grpc::CallbackServerContext* ctx,
                                                                const grpc::ByteBuffer* request,
                                                                grpc::ByteBuffer* response) {
  return gate_.Unary<tim::v1::MarkAllMessageAsReadRequest, tim::v1::MarkAllMessageAsReadResponse>(
      "MarkAllMessageAsRead", ctx, request, response,
      [messages = &messages_](const tim::v1::MarkAllMessageAsReadRequest& req,
                              domain::Done<tim::v1::MarkAllMessageAsReadResponse> done) {
        messages->MarkAllMessageAsRead(req, std::move(done));
      });
}

grpc::ServerUnaryReactor* ConversationsService::GetUnreadMessageCountByFilter(grpc::CallbackServerContext* ctx,
                                                                              const grpc::ByteBuffer* request,
                                                                              grpc::ByteBuffer* response) {
  return gate_.Unary<tim::v1::GetUnreadMessageCountByFilterRequest, tim::v1::GetUnreadMessageCountByFilterResponse>(
      "GetUnreadMessageCountByFilter", ctx, request, response,
      [conversations = &conversations_](const tim::v1::GetUnreadMessageCountByFilterRequest& req,
                                        domain::Done<tim::v1::GetUnreadMessageCountByFilterResponse> done) {
        done(conversations->GetUnreadMessageCountByFilter(req));
      });
}

}  // namespace timd::api
