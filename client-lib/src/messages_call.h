// One unary call of tim.v1.Messages made for a TIM C function: its result
// goes to the app's TIMCommCallback, "" on failure, else what a payload
// function makes of the response.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <utility>

#include "TIMCloud.h"
#include "context.h"
#include "tim_json.h"

namespace timclient {

// A parse failure as the C function's return code.
inline int ParseFailure(ParseResult parsed) { return parsed == ParseResult::kJson ? TIM_ERR_JSON : TIM_ERR_PARAM; }

// A conversation argument pair timd may be asked about (groups are refused
// by timd itself, with its code).
inline bool ValidConversation(const char* conv_id, enum TIMConvType conv_type) {
  return conv_id && *conv_id && (conv_type == kTIMConv_C2C || conv_type == kTIMConv_Group);
}

// Starts `method` with `request`; returns TIM_SUCC, or TIM_ERR_SDKUNINIT
// when the context is shutting down.
template <typename Request, typename Response, typename Payload>
int StartMessagesCall(const std::shared_ptr<Context>& ctx, Context::AsyncMethod<MessagesAsync, Request, Response> method,
                      Request request,
                      std::chrono::milliseconds timeout, TIMCommCallback cb, const void* user_data, Payload payload) {
  const bool started =
      ctx->Call(ctx->stubs().messages->async(), method, std::move(request), timeout,
                [ctx = ctx.get(), cb, user_data, payload](const TimError& error, Response& response) {
                  ctx->PostResult(cb, user_data, error.code, error.desc, error.code == 0 ? payload(response) : "");
                });
  return started ? TIM_SUCC : TIM_ERR_SDKUNINIT;
}

template <typename Response>
std::string NoPayload(const Response&) {
  return "";
}

template <typename Response>
std::string MessagesPayload(const Response& response) {
  return MessageArrayJson(response.messages());
}

}  // namespace timclient
