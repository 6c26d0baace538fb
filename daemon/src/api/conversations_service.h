// tim.v1.Conversations (conversations.proto): the conversation list. Each handler hands its call to
// the CallGate, which runs the domain method on the loop thread.
#pragma once

#include <grpcpp/grpcpp.h>

#include "api/call_gate.h"
#include "domain/conversation_calls.h"
#include "tim/v1/conversations.grpc.pb.h"

namespace timd::api {

// Every method raw (bytes in, bytes out; see raw_messages.h).
namespace raw {
using tim::v1::Conversations;
using ConversationEditsBase = Conversations::WithRawCallbackMethod_DeleteConversation<
    Conversations::WithRawCallbackMethod_DeleteConversationList<
        Conversations::WithRawCallbackMethod_GetConversations<
            Conversations::WithRawCallbackMethod_GetConversationListByFilter<
                Conversations::WithRawCallbackMethod_SetDraft<Conversations::WithRawCallbackMethod_PinConversation<
                    Conversations::WithRawCallbackMethod_MarkConversation<
                        Conversations::WithRawCallbackMethod_SetConversationCustomData<
                            Conversations::WithRawCallbackMethod_CreateConversation<
                                Conversations::CallbackService>>>>>>>>>;
}  // namespace raw
using ConversationsServiceBase = tim::v1::Conversations::WithRawCallbackMethod_ListConversations<
    tim::v1::Conversations::WithRawCallbackMethod_CleanConversationUnreadMessageCount<
        tim::v1::Conversations::WithRawCallbackMethod_GetTotalUnreadMessageCount<
            tim::v1::Conversations::WithRawCallbackMethod_GetUnreadMessageCountByFilter<
                raw::ConversationEditsBase>>>>;

class ConversationsService final : public ConversationsServiceBase {
 public:
  ConversationsService(CallGate& gate, domain::ConversationCalls& conversations)
      : gate_(gate), conversations_(conversations) {}

  grpc::ServerUnaryReactor* ListConversations(grpc::CallbackServerContext* ctx, const grpc::ByteBuffer* request,
                                              grpc::ByteBuffer* response) override;
  // Read state (read_state_handlers.cc).
  grpc::ServerUnaryReactor* CleanConversationUnreadMessageCount(grpc::CallbackServerContext* ctx,
                                                                const grpc::ByteBuffer* request,
                                                                grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* GetTotalUnreadMessageCount(grpc::CallbackServerContext* ctx,
                                                       const grpc::ByteBuffer* request,
                                                       grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* GetUnreadMessageCountByFilter(grpc::CallbackServerContext* ctx,
                                                          const grpc::ByteBuffer* request,
                                                          grpc::ByteBuffer* response) override;
  // Delete, lookups, draft, pin, marks, custom data (conversation_edit_handlers.cc).
  grpc::ServerUnaryReactor* DeleteConversation(grpc::CallbackServerContext* ctx, const grpc::ByteBuffer* request,
                                               grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* DeleteConversationList(grpc::CallbackServerContext* ctx, const grpc::ByteBuffer* request,
                                                   grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* GetConversations(grpc::CallbackServerContext* ctx, const grpc::ByteBuffer* request,
                                             grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* GetConversationListByFilter(grpc::CallbackServerContext* ctx,
                                                        const grpc::ByteBuffer* request,
                                                        grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* SetDraft(grpc::CallbackServerContext* ctx, const grpc::ByteBuffer* request,
                                     grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* PinConversation(grpc::CallbackServerContext* ctx, const grpc::ByteBuffer* request,
                                            grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* MarkConversation(grpc::CallbackServerContext* ctx, const grpc::ByteBuffer* request,
                                             grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* SetConversationCustomData(grpc::CallbackServerContext* ctx,
                                                      const grpc::ByteBuffer* request,
                                                      grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* CreateConversation(grpc::CallbackServerContext* ctx, const grpc::ByteBuffer* request,
                                               grpc::ByteBuffer* response) override;

 private:
  CallGate& gate_;
  domain::ConversationCalls& conversations_;
};

}  // namespace timd::api
