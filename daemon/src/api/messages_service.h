// tim.v1.Messages (messages.proto): sending and reading messages. Each handler hands its call to
// the CallGate, which runs the domain method on the loop thread.
#pragma once

#include <grpcpp/grpcpp.h>

#include "api/call_gate.h"
#include "domain/message_calls.h"
#include "tim/v1/messages.grpc.pb.h"

namespace timd::api {

// The history, lookup, import and batch methods (history_handlers.cc).
template <class Base>
using HistoryMethods = tim::v1::Messages::WithRawCallbackMethod_FindMessages<
    tim::v1::Messages::WithRawCallbackMethod_FindMessagesByLocator<tim::v1::Messages::WithRawCallbackMethod_DeleteMessages<
        tim::v1::Messages::WithRawCallbackMethod_ClearHistory<tim::v1::Messages::WithRawCallbackMethod_SetLocalCustomData<
            tim::v1::Messages::WithRawCallbackMethod_SearchLocalMessages<tim::v1::Messages::WithRawCallbackMethod_ImportMessages<
                tim::v1::Messages::WithRawCallbackMethod_BatchSend<Base>>>>>>>>;

// Every method raw (bytes in, bytes out; see raw_messages.h).
using MessagesServiceBase = tim::v1::Messages::WithRawCallbackMethod_SendMessage<
    tim::v1::Messages::WithRawCallbackMethod_GetMessages<tim::v1::Messages::WithRawCallbackMethod_ReportRead<
        tim::v1::Messages::WithRawCallbackMethod_SendMessageReadReceipts<
            tim::v1::Messages::WithRawCallbackMethod_GetMessageReadReceipts<
                tim::v1::Messages::WithRawCallbackMethod_MarkAllMessageAsRead<
                tim::v1::Messages::WithRawCallbackMethod_RevokeMessage<tim::v1::Messages::WithRawCallbackMethod_ModifyMessage<
                    HistoryMethods<tim::v1::Messages::WithRawCallbackMethod_DownloadElemToPath<
                        tim::v1::Messages::WithRawCallbackMethod_CancelSend<
                            tim::v1::Messages::CallbackService>>>>>>>>>>>;

class MessagesService final : public MessagesServiceBase {
 public:
  MessagesService(CallGate& gate, domain::MessageCalls& messages) : gate_(gate), messages_(messages) {}

  grpc::ServerUnaryReactor* SendMessage(grpc::CallbackServerContext* ctx, const grpc::ByteBuffer* request,
                                        grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* GetMessages(grpc::CallbackServerContext* ctx, const grpc::ByteBuffer* request,
                                        grpc::ByteBuffer* response) override;
  // Read state (read_state_handlers.cc).
  grpc::ServerUnaryReactor* ReportRead(grpc::CallbackServerContext* ctx, const grpc::ByteBuffer* request,
                                       grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* SendMessageReadReceipts(grpc::CallbackServerContext* ctx,
                                                    const grpc::ByteBuffer* request,
                                                    grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* GetMessageReadReceipts(grpc::CallbackServerContext* ctx, const grpc::ByteBuffer* request,
                                                   grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* MarkAllMessageAsRead(grpc::CallbackServerContext* ctx, const grpc::ByteBuffer* request,
                                                 grpc::ByteBuffer* response) override;
  // Revoke and modify.
  grpc::ServerUnaryReactor* RevokeMessage(grpc::CallbackServerContext* ctx, const grpc::ByteBuffer* request,
                                          grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* ModifyMessage(grpc::CallbackServerContext* ctx, const grpc::ByteBuffer* request,
                                          grpc::ByteBuffer* response) override;
  // History, lookup, import and batch sending (history_handlers.cc).
  grpc::ServerUnaryReactor* FindMessages(grpc::CallbackServerContext* ctx, const grpc::ByteBuffer* request,
                                         grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* FindMessagesByLocator(grpc::CallbackServerContext* ctx, const grpc::ByteBuffer* request,
                                                  grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* DeleteMessages(grpc::CallbackServerContext* ctx, const grpc::ByteBuffer* request,
                                           grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* ClearHistory(grpc::CallbackServerContext* ctx, const grpc::ByteBuffer* request,
                                         grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* SetLocalCustomData(grpc::CallbackServerContext* ctx, const grpc::ByteBuffer* request,
                                               grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* SearchLocalMessages(grpc::CallbackServerContext* ctx, const grpc::ByteBuffer* request,
                                                grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* ImportMessages(grpc::CallbackServerContext* ctx, const grpc::ByteBuffer* request,
                                           grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* BatchSend(grpc::CallbackServerContext* ctx, const grpc::ByteBuffer* request,
                                      grpc::ByteBuffer* response) override;
  // Files.
  grpc::ServerUnaryReactor* DownloadElemToPath(grpc::CallbackServerContext* ctx, const grpc::ByteBuffer* request,
                                               grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* CancelSend(grpc::CallbackServerContext* ctx, const grpc::ByteBuffer* request,
                                       grpc::ByteBuffer* response) override;

 private:
  CallGate& gate_;
  domain::MessageCalls& messages_;
};

}  // namespace timd::api
