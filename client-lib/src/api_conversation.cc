// TIMConversationManager.h: the conversation list.
#include <chrono>

#include "TIMCloud.h"
#include "global.h"
#include "tim_json.h"

extern "C" {

int TIMConvGetConvList(TIMCommCallback cb, const void* user_data) {
  auto ctx = timclient::CurrentContext();
  if (!ctx) return TIM_ERR_SDKUNINIT;
  const bool started = ctx->Call(
      ctx->stubs().conversations->async(), &timclient::ConversationsAsync::ListConversations,
      tim::v1::ListConversationsRequest(), std::chrono::seconds(10),
      [ctx = ctx.get(), cb, user_data](const timclient::TimError& error, tim::v1::ListConversationsResponse& response) {
        ctx->PostResult(cb, user_data, error.code, error.desc,
                        error.code == 0 ? timclient::ConvArrayJson(response.conversations()) : "");
      });
  return started ? TIM_SUCC : TIM_ERR_SDKUNINIT;
}

}  // extern "C"
