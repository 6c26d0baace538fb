// The tim.v1.Conversations methods of conversation_edits.proto, kept apart
// from the service's other handlers. Each runs its domain method on the
// loop thread through the CallGate.
#include <utility>

#include "api/conversations_service.h"

namespace timd::api {

// A handler whose domain method answers through Done (it writes the store).
#define TIMD_CONVERSATION_WRITE(Method, Request, Response)                                                 \
  grpc::ServerUnaryReactor* ConversationsService::Method(                                                 \
      grpc::CallbackServerContext* ctx, const grpc::ByteBuffer* request, grpc::ByteBuffer* response) {   \
    return gate_.Unary<tim::v1::Request, tim::v1::Response>(                                              \
        #Method, ctx, request, response,                                                                  \
        [conversations = &conversations_](const tim::v1::Request& req, domain::Done<tim::v1::Response> done) { \
          conversations->Method(req, std::move(done));                                                    \
        });                                                                                               \
  }

// A handler whose domain method answers at once (it only reads).
#define TIMD_CONVERSATION_READ(Method, Request, Response)                                                  \
  grpc::ServerUnaryReactor* ConversationsService::Method(                                                 \
      grpc::CallbackServerContext* ctx, const grpc::ByteBuffer* request, grpc::ByteBuffer* response) {   \
    return gate_.Unary<tim::v1::Request, tim::v1::Response>(                                              \
        #Method, ctx, request, response,                                                                  \
        [conversations = &conversations_](const tim::v1::Request& req, domain::Done<tim::v1::Response> done) { \
          done(conversations->Method(req));                                                               \
        });                                                                                               \
  }

TIMD_CONVERSATION_WRITE(DeleteConversation, DeleteConversationRequest, DeleteConversationResponse)
TIMD_CONVERSATION_WRITE(DeleteConversationList, DeleteConversationListRequest, DeleteConversationListResponse)
TIMD_CONVERSATION_READ(GetConversations, GetConversationsRequest, GetConversationsResponse)
TIMD_CONVERSATION_READ(GetConversationListByFilter, GetConversationListByFilterRequest,
                       GetConversationListByFilterResponse)
TIMD_CONVERSATION_WRITE(SetDraft, SetDraftRequest, SetDraftResponse)
TIMD_CONVERSATION_WRITE(PinConversation, PinConversationRequest, PinConversationResponse)
TIMD_CONVERSATION_WRITE(MarkConversation, MarkConversationRequest, MarkConversationResponse)
TIMD_CONVERSATION_WRITE(SetConversationCustomData, SetConversationCustomDataRequest,
                        SetConversationCustomDataResponse)
TIMD_CONVERSATION_WRITE(CreateConversation, CreateConversationRequest, CreateConversationResponse)

#undef TIMD_CONVERSATION_WRITE
#undef TIMD_CONVERSATION_READ

}  // namespace timd::api
