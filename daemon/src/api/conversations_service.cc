#include "api/conversations_service.h"

#include <utility>

namespace timd::api {

grpc::ServerUnaryReactor* ConversationsService::ListConversations(grpc::CallbackServerContext* ctx,
                                                                  const grpc::ByteBuffer* request,
                                                                  grpc::ByteBuffer* response) {
  return gate_.Unary<tim::v1::ListConversationsRequest, tim::v1::ListConversationsResponse>(
      "ListConversations", ctx, request, response,
      [conversations = &conversations_](const tim::v1::ListConversationsRequest& req,
                                        domain::Done<tim::v1::ListConversationsResponse> done) {
        done(conversations->ListConversations(req));
      });
}

}  // namespace timd::api
