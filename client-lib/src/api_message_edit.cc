// TIMMessageManager.h: revoking and modifying sent messages, cancelling unsent ones.
#include <chrono>
#include <string>

#include "TIMCloud.h"
#include "global.h"
#include "tim_json.h"

namespace {

using timclient::ParseResult;

// The daemon answers once the server acknowledged the change.
constexpr auto kChangeTimeout = std::chrono::seconds(60);

int ParseFailure(ParseResult parsed) { return parsed == ParseResult::kJson ? TIM_ERR_JSON : TIM_ERR_PARAM; }

}  // namespace

extern "C" {

int TIMMsgRevoke(const char* conv_id, enum TIMConvType conv_type, const char* json_msg_param, TIMCommCallback cb,
                 const void* user_data) {
  auto ctx = timclient::CurrentContext();
  if (!ctx) return TIM_ERR_SDKUNINIT;
  if (!conv_id || !*conv_id) return TIM_ERR_PARAM;
  tim::v1::RevokeMessageRequest request;
  std::string why;
  if (auto parsed = timclient::ParseMessageId(json_msg_param, request.mutable_msg_id(), &why);
      parsed != ParseResult::kOk) {
    return ParseFailure(parsed);
  }
  request.set_conv_id(conv_id);
  request.set_conv_type(static_cast<tim::v1::ConvType>(conv_type));
  const bool started = ctx->Call(
      ctx->stubs().messages->async(), &timclient::MessagesAsync::RevokeMessage, std::move(request), kChangeTimeout,
      [ctx = ctx.get(), cb, user_data](const timclient::TimError& error, tim::v1::RevokeMessageResponse&) {
        ctx->PostResult(cb, user_data, error.code, error.desc, "");
      });
  return started ? TIM_SUCC : TIM_ERR_SDKUNINIT;
}

int TIMMsgCancelSend(const char* conv_id, enum TIMConvType conv_type, const char* message_id, TIMCommCallback cb,
                     const void* user_data) {
  auto ctx = timclient::CurrentContext();
  if (!ctx) return TIM_ERR_SDKUNINIT;
  if (!conv_id || !*conv_id || !message_id || !*message_id) return TIM_ERR_PARAM;
  tim::v1::CancelSendRequest request;
  request.set_conv_id(conv_id);
  request.set_conv_type(static_cast<tim::v1::ConvType>(conv_type));
  request.set_msg_id(message_id);
  const bool started = ctx->Call(
      ctx->stubs().messages->async(), &timclient::MessagesAsync::CancelSend, std::move(request), kChangeTimeout,
      [ctx = ctx.get(), cb, user_data](const timclient::TimError& error, tim::v1::CancelSendResponse&) {
        ctx->PostResult(cb, user_data, error.code, error.desc, "");
      });
  return started ? TIM_SUCC : TIM_ERR_SDKUNINIT;
}

int TIMMsgModifyMessage(const char* json_msg_param, TIMCommCallback cb, const void* user_data) {
  auto ctx = timclient::CurrentContext();
  if (!ctx) return TIM_ERR_SDKUNINIT;
  tim::v1::ModifyMessageRequest request;
  std::string why;
  if (auto parsed = timclient::ParseModifyMessage(json_msg_param, &request, &why); parsed != ParseResult::kOk) {
    return ParseFailure(parsed);
  }
  const bool started = ctx->Call(
      ctx->stubs().messages->async(), &timclient::MessagesAsync::ModifyMessage, std::move(request), kChangeTimeout,
      [ctx = ctx.get(), cb, user_data](const timclient::TimError& error, tim::v1::ModifyMessageResponse& response) {
        ctx->PostResult(cb, user_data, error.code, error.desc,
                        error.code == 0 ? timclient::MessageJson(response.message()) : "");
      });
  return started ? TIM_SUCC : TIM_ERR_SDKUNINIT;
}

}  // extern "C"
