// TIMMessageManager.h: send and history.
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>

#include "TIMCloud.h"
#include "global.h"
#include "own_sends.h"
#include "tim_json.h"

namespace {

using timclient::ParseResult;

constexpr auto kSendTimeout = std::chrono::seconds(60);
constexpr auto kQueryTimeout = std::chrono::seconds(10);

bool ValidConvType(enum TIMConvType type) {
  return type == kTIMConv_C2C || type == kTIMConv_Group || type == kTIMConv_System;
}

// A message ID chosen here, so TIMMsgSendMessage can return it at once; timd
// uses it as the message's msg_id (and XEP-0359 origin-id).
std::string NewMessageId() {
  static std::atomic<uint64_t> counter{0};
  static const uint64_t salt = std::random_device{}() ^ (uint64_t{std::random_device{}()} << 32);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::system_clock::now().time_since_epoch()).count();
  char id[96];
  std::snprintf(id, sizeof id, "timc-%lld-%d-%llx-%llu", static_cast<long long>(ms), static_cast<int>(getpid()),
                static_cast<unsigned long long>(salt), static_cast<unsigned long long>(++counter));
  return id;
}

int SendMessage(const char* conv_id, enum TIMConvType conv_type, const char* json_msg_param,
                char* message_id_buffer, TIMCommCallback cb, const void* user_data) {
  auto ctx = timclient::CurrentContext();
  if (!ctx) return TIM_ERR_SDKUNINIT;
  if (!conv_id || !*conv_id || !json_msg_param || !ValidConvType(conv_type)) return TIM_ERR_PARAM;
  tim::v1::SendMessageRequest request;
  std::string why;
  const ParseResult parsed = timclient::ParseMessage(json_msg_param, &request, &why);
  if (parsed == ParseResult::kJson) return TIM_ERR_JSON;
  if (parsed != ParseResult::kOk) return TIM_ERR_PARAM;
  request.set_conv_id(conv_id);
  request.set_conv_type(static_cast<tim::v1::ConvType>(conv_type));
  // The same message JSON sent again (a failed or cancelled one) resends that message.
  std::string msg_id = timclient::ResentMessageId(json_msg_param);
  if (msg_id.empty()) msg_id = NewMessageId();
  request.set_client_msg_id(msg_id);
  // Before the call: timd's event for the message may come before its answer.
  timclient::OwnSends::Instance().Remember(msg_id);
  const bool started =
      ctx->Call(ctx->stubs().messages->async(), &timclient::MessagesAsync::SendMessage, std::move(request), kSendTimeout,
                [ctx = ctx.get(), cb, user_data](const timclient::TimError& error,
                                                 tim::v1::SendMessageResponse& response) {
                  ctx->PostResult(cb, user_data, error.code, error.desc,
                                  error.code == 0 ? timclient::MessageJson(response.message()) : "");
                });
  if (!started) return TIM_ERR_SDKUNINIT;
  if (message_id_buffer) {
    const size_t n = std::min<size_t>(msg_id.size(), 127);  // TIM: buffer of at least 128 bytes
    std::memcpy(message_id_buffer, msg_id.data(), n);
    message_id_buffer[n] = '\0';
  }
  return TIM_SUCC;
}

}  // namespace

extern "C" {

int TIMMsgSendMessage(const char* conv_id, enum TIMConvType conv_type, const char* json_msg_param,
                      char* message_id_buffer, TIMCommCallback cb, const void* user_data) {
  return SendMessage(conv_id, conv_type, json_msg_param, message_id_buffer, cb, user_data);
}

int TIMMsgSendNewMsg(const char* conv_id, enum TIMConvType conv_type, const char* json_msg_param,
                     TIMCommCallback cb, const void* user_data) {
  return SendMessage(conv_id, conv_type, json_msg_param, nullptr, cb, user_data);
}

int TIMMsgGetMsgList(const char* conv_id, enum TIMConvType conv_type, const char* json_get_msg_param,
                     TIMCommCallback cb, const void* user_data) {
  auto ctx = timclient::CurrentContext();
  if (!ctx) return TIM_ERR_SDKUNINIT;
  if (!conv_id || !*conv_id || !ValidConvType(conv_type)) return TIM_ERR_PARAM;
  tim::v1::GetMessagesRequest request;
  std::string why;
  const ParseResult parsed = timclient::ParseGetMsgListParam(json_get_msg_param, &request, &why);
  if (parsed == ParseResult::kJson) return TIM_ERR_JSON;
  if (parsed != ParseResult::kOk) return TIM_ERR_PARAM;
  request.set_conv_id(conv_id);
  request.set_conv_type(static_cast<tim::v1::ConvType>(conv_type));
  const bool started =
      ctx->Call(ctx->stubs().messages->async(), &timclient::MessagesAsync::GetMessages, std::move(request), kQueryTimeout,
                [ctx = ctx.get(), cb, user_data](const timclient::TimError& error,
                                                 tim::v1::GetMessagesResponse& response) {
                  ctx->PostResult(cb, user_data, error.code, error.desc,
                                  error.code == 0 ? timclient::MessageArrayJson(response.messages()) : "");
                });
  return started ? TIM_SUCC : TIM_ERR_SDKUNINIT;
}

}  // extern "C"
