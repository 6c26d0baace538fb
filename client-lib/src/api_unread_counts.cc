// TIMMsgMarkAllMessageAsRead, TIMConvGetUnreadMessageCountByFilter and the
// unread-count change callbacks (unread_counts.proto).
#include <chrono>
#include <string>

#include "TIMCloud.h"
#include "global.h"
#include "listeners.h"
#include "tim_json.h"
#include "unread_filter_watch.h"

namespace {

constexpr auto kTimeout = std::chrono::seconds(10);

}  // namespace

extern "C" {

int TIMMsgMarkAllMessageAsRead(TIMCommCallback cb, const void* user_data) {
  auto ctx = timclient::CurrentContext();
  if (!ctx) return TIM_ERR_SDKUNINIT;
  const bool started = ctx->Call(
      ctx->stubs().messages->async(), &timclient::MessagesAsync::MarkAllMessageAsRead,
      tim::v1::MarkAllMessageAsReadRequest(), kTimeout,
      [ctx = ctx.get(), cb, user_data](const timclient::TimError& error, tim::v1::MarkAllMessageAsReadResponse&) {
        ctx->PostResult(cb, user_data, error.code, error.desc, "");
      });
  return started ? TIM_SUCC : TIM_ERR_SDKUNINIT;
}

int TIMConvGetUnreadMessageCountByFilter(const char* filter, TIMCommCallback cb, const void* user_data) {
  auto ctx = timclient::CurrentContext();
  if (!ctx) return TIM_ERR_SDKUNINIT;
  tim::v1::GetUnreadMessageCountByFilterRequest request;
  std::string why;
  if (auto parsed = timclient::ParseConversationListFilter(filter, request.mutable_filter(), &why);
      parsed != timclient::ParseResult::kOk) {
    return parsed == timclient::ParseResult::kJson ? TIM_ERR_JSON : TIM_ERR_PARAM;
  }
  const bool started = ctx->Call(
      ctx->stubs().conversations->async(), &timclient::ConversationsAsync::GetUnreadMessageCountByFilter,
      std::move(request), kTimeout,
      [ctx = ctx.get(), cb, user_data](const timclient::TimError& error,
                                       tim::v1::GetUnreadMessageCountByFilterResponse& response) {
        ctx->PostResult(cb, user_data, error.code, error.desc,
                        error.code == 0 ? timclient::TotalUnreadJson(response.unread_count()) : "");
      });
  return started ? TIM_SUCC : TIM_ERR_SDKUNINIT;
}

int TIMConvSubscribeUnreadMessageCountByFilter(const char* filter) {
  return timclient::UnreadFilterWatch::Instance().Subscribe(filter);
}

int TIMConvUnsubscribeUnreadMessageCountByFilter(const char* filter) {
  return timclient::UnreadFilterWatch::Instance().Unsubscribe(filter);
}

void TIMSetConvTotalUnreadMessageCountChangedCallback(TIMConvTotalUnreadMessageCountChangedCallback cb,
                                                      const void* user_data) {
  timclient::Listeners::Instance().Set<timclient::Slot::kConvTotalUnreadChanged>(cb, user_data);
}

void TIMSetConvUnreadMessageCountChangedByFilterCallback(TIMConvTotalUnreadMessageCountChangedByFilterCallback cb,
                                                         const void* user_data) {
  timclient::Listeners::Instance().Set<timclient::Slot::kConvUnreadChangedByFilter>(cb, user_data);
}

}  // extern "C"
