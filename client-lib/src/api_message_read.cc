// TIMMessageManager.h and TIMConversationManager.h: read state (reports,
// receipts, unread counts).
#include <chrono>
#include <string>

#include "TIMCloud.h"
#include "global.h"
#include "listeners.h"
#include "tim_json.h"

namespace {

using timclient::ParseResult;

constexpr auto kTimeout = std::chrono::seconds(10);

int ParseFailure(ParseResult parsed) { return parsed == ParseResult::kJson ? TIM_ERR_JSON : TIM_ERR_PARAM; }

// Posts "" on success: the calls whose result carries no payload.
template <typename Response>
auto EmptyResult(timclient::Context* ctx, TIMCommCallback cb, const void* user_data) {
  return [ctx, cb, user_data](const timclient::TimError& error, Response&) {
    ctx->PostResult(cb, user_data, error.code, error.desc, "");
  };
}

}  // namespace

extern "C" {

int TIMMsgReportReaded(const char* conv_id, enum TIMConvType conv_type, const char* json_msg_param,
                       TIMCommCallback cb, const void* user_data) {
  auto ctx = timclient::CurrentContext();
  if (!ctx) return TIM_ERR_SDKUNINIT;
  if (conv_type != kTIMConv_C2C && conv_type != kTIMConv_Group) return TIM_ERR_PARAM;
  tim::v1::ReportReadRequest request;
  std::string why;
  // NULL or "": up to the newest message.
  if (json_msg_param != nullptr && *json_msg_param != '\0') {
    if (ParseResult parsed = timclient::ParseMessageId(json_msg_param, request.mutable_msg_id(), &why);
        parsed != ParseResult::kOk) {
      return ParseFailure(parsed);
    }
  }
  request.set_conv_id(conv_id ? conv_id : "");
  request.set_conv_type(static_cast<tim::v1::ConvType>(conv_type));
  const bool started = ctx->Call(ctx->stubs().messages->async(), &timclient::MessagesAsync::ReportRead,
                                 std::move(request), kTimeout,
                                 EmptyResult<tim::v1::ReportReadResponse>(ctx.get(), cb, user_data));
  return started ? TIM_SUCC : TIM_ERR_SDKUNINIT;
}

int TIMMsgSendMessageReadReceipts(const char* json_msg_array, TIMCommCallback cb, const void* user_data) {
  auto ctx = timclient::CurrentContext();
  if (!ctx) return TIM_ERR_SDKUNINIT;
  tim::v1::SendMessageReadReceiptsRequest request;
  std::string why;
  if (ParseResult parsed = timclient::ParseMessageIdArray(json_msg_array, request.mutable_msg_ids(), &why);
      parsed != ParseResult::kOk) {
    return ParseFailure(parsed);
  }
  const bool started = ctx->Call(ctx->stubs().messages->async(), &timclient::MessagesAsync::SendMessageReadReceipts,
                                 std::move(request), kTimeout,
                                 EmptyResult<tim::v1::SendMessageReadReceiptsResponse>(ctx.get(), cb, user_data));
  return started ? TIM_SUCC : TIM_ERR_SDKUNINIT;
}

int TIMMsgGetMessageReadReceipts(const char* json_msg_array, TIMCommCallback cb, const void* user_data) {
  auto ctx = timclient::CurrentContext();
  if (!ctx) return TIM_ERR_SDKUNINIT;
  tim::v1::GetMessageReadReceiptsRequest request;
  std::string why;
  if (ParseResult parsed = timclient::ParseMessageIdArray(json_msg_array, request.mutable_msg_ids(), &why);
      parsed != ParseResult::kOk) {
    return ParseFailure(parsed);
  }
  const bool started = ctx->Call(
      ctx->stubs().messages->async(), &timclient::MessagesAsync::GetMessageReadReceipts, std::move(request), kTimeout,
      [ctx = ctx.get(), cb, user_data](const timclient::TimError& error,
                                       tim::v1::GetMessageReadReceiptsResponse& response) {
        ctx->PostResult(cb, user_data, error.code, error.desc,
                        error.code == 0 ? timclient::ReceiptArrayJson(response.receipts()) : "");
      });
  return started ? TIM_SUCC : TIM_ERR_SDKUNINIT;
}

int TIMConvGetTotalUnreadMessageCount(TIMCommCallback cb, const void* user_data) {
  auto ctx = timclient::CurrentContext();
  if (!ctx) return TIM_ERR_SDKUNINIT;
  timclient::Listeners::Instance().StartTotalUnreadReports();
  const bool started = ctx->Call(
      ctx->stubs().conversations->async(), &timclient::ConversationsAsync::GetTotalUnreadMessageCount,
      tim::v1::GetTotalUnreadRequest(), kTimeout,
      [ctx = ctx.get(), cb, user_data](const timclient::TimError& error, tim::v1::GetTotalUnreadResponse& response) {
        ctx->PostResult(cb, user_data, error.code, error.desc,
                        error.code == 0 ? timclient::TotalUnreadJson(response.unread_count()) : "");
      });
  return started ? TIM_SUCC : TIM_ERR_SDKUNINIT;
}

int TIMConvCleanConversationUnreadMessageCount(const char* conversation_id, uint64_t clean_timestamp,
                                               uint64_t clean_sequence, TIMCommCallback cb, const void* user_data) {
  auto ctx = timclient::CurrentContext();
  if (!ctx) return TIM_ERR_SDKUNINIT;
  tim::v1::CleanUnreadRequest request;
  request.set_conversation_id(conversation_id ? conversation_id : "");
  request.set_clean_timestamp(clean_timestamp);
  request.set_clean_sequence(clean_sequence);
  const bool started = ctx->Call(ctx->stubs().conversations->async(),
                                 &timclient::ConversationsAsync::CleanConversationUnreadMessageCount,
                                 std::move(request), kTimeout,
                                 EmptyResult<tim::v1::CleanUnreadResponse>(ctx.get(), cb, user_data));
  return started ? TIM_SUCC : TIM_ERR_SDKUNINIT;
}

}  // extern "C"
