// TIMMessageManager.h: messages stored without an ordinary send
// (TIMMsgSaveMsg, TIMMsgImportMsgList) and one message sent to many users
// (TIMMsgBatchSend).
#include <chrono>
#include <string>
#include <utility>

#include "TIMCloud.h"
#include "global.h"
#include "messages_call.h"
#include "tim_json.h"

namespace {

using timclient::ParseFailure;
using timclient::ParseResult;

constexpr auto kImportTimeout = std::chrono::seconds(10);
// Every send of the batch waits for the server's ack.
constexpr auto kBatchTimeout = std::chrono::seconds(60);

int Import(const char* conv_id, enum TIMConvType conv_type, tim::v1::ImportMessagesRequest request,
           TIMCommCallback cb, const void* user_data, bool answer_message) {
  auto ctx = timclient::CurrentContext();
  if (!ctx) return TIM_ERR_SDKUNINIT;
  request.set_conv_id(conv_id);
  request.set_conv_type(static_cast<tim::v1::ConvType>(conv_type));
  return timclient::StartMessagesCall<tim::v1::ImportMessagesRequest, tim::v1::ImportMessagesResponse>(
      ctx, &timclient::MessagesAsync::ImportMessages, std::move(request), kImportTimeout, cb, user_data,
      [answer_message](const tim::v1::ImportMessagesResponse& response) {
        return answer_message && response.messages_size() == 1 ? timclient::MessageJson(response.messages(0))
                                                                : std::string();
      });
}

}  // namespace

extern "C" {

int TIMMsgSaveMsg(const char* conv_id, enum TIMConvType conv_type, const char* json_msg_param, TIMCommCallback cb,
                  const void* user_data) {
  if (!timclient::ValidConversation(conv_id, conv_type)) return TIM_ERR_PARAM;
  tim::v1::ImportMessagesRequest request;
  std::string why;
  if (auto parsed = timclient::ParseSavedMessage(json_msg_param, request.add_messages(), &why);
      parsed != ParseResult::kOk) {
    return ParseFailure(parsed);
  }
  return Import(conv_id, conv_type, std::move(request), cb, user_data, true);
}

int TIMMsgImportMsgList(const char* conv_id, enum TIMConvType conv_type, const char* json_msg_array,
                        TIMCommCallback cb, const void* user_data) {
  if (!timclient::ValidConversation(conv_id, conv_type)) return TIM_ERR_PARAM;
  tim::v1::ImportMessagesRequest request;
  std::string why;
  if (auto parsed = timclient::ParseImportArray(json_msg_array, request.mutable_messages(), &why);
      parsed != ParseResult::kOk) {
    return ParseFailure(parsed);
  }
  return Import(conv_id, conv_type, std::move(request), cb, user_data, false);
}

int TIMMsgBatchSend(const char* json_batch_send_param, TIMCommCallback cb, const void* user_data) {
  auto ctx = timclient::CurrentContext();
  if (!ctx) return TIM_ERR_SDKUNINIT;
  tim::v1::BatchSendRequest request;
  std::string why;
  if (auto parsed = timclient::ParseBatchSendParam(json_batch_send_param, &request, &why);
      parsed != ParseResult::kOk) {
    return ParseFailure(parsed);
  }
  return timclient::StartMessagesCall<tim::v1::BatchSendRequest, tim::v1::BatchSendResponse>(
      ctx, &timclient::MessagesAsync::BatchSend, std::move(request), kBatchTimeout, cb, user_data,
      timclient::BatchSendResultJson);
}

}  // extern "C"
