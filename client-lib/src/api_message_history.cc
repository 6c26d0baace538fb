// TIMMessageManager.h: history and lookup on timd's local store (finding,
// deleting and clearing messages, local custom data, search).
// TIMMsgGetMsgList is in api_message.cc.
#include <chrono>
#include <string>
#include <utility>

#include "TIMCloud.h"
#include "global.h"
#include "messages_call.h"
#include "tim_json.h"

namespace {

using timclient::ParseResult;

constexpr auto kTimeout = std::chrono::seconds(10);

using timclient::NoPayload;
using timclient::ParseFailure;

int DeleteMessages(const char* conv_id, enum TIMConvType conv_type, tim::v1::DeleteMessagesRequest request,
                   TIMCommCallback cb, const void* user_data) {
  auto ctx = timclient::CurrentContext();
  if (!ctx) return TIM_ERR_SDKUNINIT;
  request.set_conv_id(conv_id);
  request.set_conv_type(static_cast<tim::v1::ConvType>(conv_type));
  return timclient::StartMessagesCall<tim::v1::DeleteMessagesRequest, tim::v1::DeleteMessagesResponse>(
      ctx, &timclient::MessagesAsync::DeleteMessages, std::move(request), kTimeout, cb, user_data,
      NoPayload<tim::v1::DeleteMessagesResponse>);
}

}  // namespace

extern "C" {

int TIMMsgFindMessages(const char* json_message_id_array, TIMCommCallback cb, const void* user_data) {
  auto ctx = timclient::CurrentContext();
  if (!ctx) return TIM_ERR_SDKUNINIT;
  tim::v1::FindMessagesRequest request;
  std::string why;
  if (auto parsed = timclient::ParseStringArray(json_message_id_array, request.mutable_msg_ids(), &why);
      parsed != ParseResult::kOk) {
    return ParseFailure(parsed);
  }
  return timclient::StartMessagesCall<tim::v1::FindMessagesRequest, tim::v1::FindMessagesResponse>(
      ctx, &timclient::MessagesAsync::FindMessages, std::move(request), kTimeout, cb, user_data,
      timclient::MessagesPayload<tim::v1::FindMessagesResponse>);
}

int TIMMsgFindByMsgLocatorList(const char* conv_id, enum TIMConvType conv_type, const char* json_msg_Locator_array,
                               TIMCommCallback cb, const void* user_data) {
  auto ctx = timclient::CurrentContext();
  if (!ctx) return TIM_ERR_SDKUNINIT;
  if (!timclient::ValidConversation(conv_id, conv_type)) return TIM_ERR_PARAM;
  tim::v1::FindMessagesByLocatorRequest request;
  std::string why;
  if (auto parsed = timclient::ParseLocatorArray(json_msg_Locator_array, request.mutable_locators(), &why);
      parsed != ParseResult::kOk) {
    return ParseFailure(parsed);
  }
  request.set_conv_id(conv_id);
  request.set_conv_type(static_cast<tim::v1::ConvType>(conv_type));
  return timclient::StartMessagesCall<tim::v1::FindMessagesByLocatorRequest, tim::v1::FindMessagesByLocatorResponse>(
      ctx, &timclient::MessagesAsync::FindMessagesByLocator, std::move(request), kTimeout, cb, user_data,
      timclient::MessagesPayload<tim::v1::FindMessagesByLocatorResponse>);
}

int TIMMsgDelete(const char* conv_id, enum TIMConvType conv_type, const char* json_msgdel_param, TIMCommCallback cb,
                 const void* user_data) {
  if (!timclient::ValidConversation(conv_id, conv_type)) return TIM_ERR_PARAM;
  tim::v1::DeleteMessagesRequest request;
  std::string why;
  if (auto parsed = timclient::ParseDeleteParam(json_msgdel_param, request.add_msg_ids(), &why);
      parsed != ParseResult::kOk) {
    return ParseFailure(parsed);
  }
  return DeleteMessages(conv_id, conv_type, std::move(request), cb, user_data);
}

int TIMMsgListDelete(const char* conv_id, enum TIMConvType conv_type, const char* json_msg_array, TIMCommCallback cb,
                     const void* user_data) {
  if (!timclient::ValidConversation(conv_id, conv_type)) return TIM_ERR_PARAM;
  tim::v1::DeleteMessagesRequest request;
  std::string why;
  if (auto parsed = timclient::ParseMessageIdArray(json_msg_array, request.mutable_msg_ids(), &why);
      parsed != ParseResult::kOk) {
    return ParseFailure(parsed);
  }
  return DeleteMessages(conv_id, conv_type, std::move(request), cb, user_data);
}

int TIMMsgClearHistoryMessage(const char* conv_id, enum TIMConvType conv_type, TIMCommCallback cb,
                              const void* user_data) {
  auto ctx = timclient::CurrentContext();
  if (!ctx) return TIM_ERR_SDKUNINIT;
  if (!timclient::ValidConversation(conv_id, conv_type)) return TIM_ERR_PARAM;
  tim::v1::ClearHistoryRequest request;
  request.set_conv_id(conv_id);
  request.set_conv_type(static_cast<tim::v1::ConvType>(conv_type));
  return timclient::StartMessagesCall<tim::v1::ClearHistoryRequest, tim::v1::ClearHistoryResponse>(
      ctx, &timclient::MessagesAsync::ClearHistory, std::move(request), kTimeout, cb, user_data,
      NoPayload<tim::v1::ClearHistoryResponse>);
}

int TIMMsgSetLocalCustomData(const char* json_msg_param, TIMCommCallback cb, const void* user_data) {
  auto ctx = timclient::CurrentContext();
  if (!ctx) return TIM_ERR_SDKUNINIT;
  tim::v1::SetLocalCustomDataRequest request;
  std::string why;
  if (auto parsed = timclient::ParseLocalCustomData(json_msg_param, &request, &why); parsed != ParseResult::kOk) {
    return ParseFailure(parsed);
  }
  return timclient::StartMessagesCall<tim::v1::SetLocalCustomDataRequest, tim::v1::SetLocalCustomDataResponse>(
      ctx, &timclient::MessagesAsync::SetLocalCustomData, std::move(request), kTimeout, cb, user_data,
      NoPayload<tim::v1::SetLocalCustomDataResponse>);
}

int TIMMsgSearchLocalMessages(const char* json_search_message_param, TIMCommCallback cb, const void* user_data) {
  auto ctx = timclient::CurrentContext();
  if (!ctx) return TIM_ERR_SDKUNINIT;
  tim::v1::SearchLocalMessagesRequest request;
  std::string why;
  if (auto parsed = timclient::ParseSearchParam(json_search_message_param, &request, &why);
      parsed != ParseResult::kOk) {
    return ParseFailure(parsed);
  }
  return timclient::StartMessagesCall<tim::v1::SearchLocalMessagesRequest, tim::v1::SearchLocalMessagesResponse>(
      ctx, &timclient::MessagesAsync::SearchLocalMessages, std::move(request), kTimeout, cb, user_data,
      timclient::SearchResultJson);
}

}  // extern "C"
