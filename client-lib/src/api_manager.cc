// TIMManager.h: lifecycle, login and configuration.
#include <algorithm>
#include <cstring>
#include <mutex>
#include <string>
#include <utility>

#include "TIMCloud.h"
#include "global.h"
#include "tim_json.h"

namespace {

using timclient::ParseResult;

int ToTimResult(ParseResult result) {
  switch (result) {
    case ParseResult::kOk: return TIM_SUCC;
    case ParseResult::kJson: return TIM_ERR_JSON;
    case ParseResult::kParam: return TIM_ERR_PARAM;
  }
  return TIM_ERR_PARAM;
}

// TIMSetConfig's settings; each call updates only the keys it names.
std::mutex set_config_mu;
timclient::SetConfig set_config;

}  // namespace

extern "C" {

int TIMInit(uint64_t /*sdk_app_id: timd's login decides the account*/, const char* json_sdk_config) {
  timclient::SdkConfig sdk;
  std::string why;
  const ParseResult parsed = timclient::ParseSdkConfig(json_sdk_config, &sdk, &why);
  if (parsed != ParseResult::kOk) return ToTimResult(parsed);
  timclient::ApplySdkConfigDefaults(&sdk);
  timclient::ContextConfig config{sdk.socket, sdk.consumer, {}};
  if (sdk.callback_queue_events) config.queue_limits.events = *sdk.callback_queue_events;
  if (sdk.callback_queue_bytes) config.queue_limits.bytes = *sdk.callback_queue_bytes;
  timclient::InstallContext(std::move(config));  // a second TIMInit keeps the first
  return TIM_SUCC;
}

int TIMUninit(void) { return timclient::RemoveContext() ? TIM_SUCC : TIM_ERR_SDKUNINIT; }

const char* TIMGetSDKVersion(void) { return "8.6.7021-timd"; }

int TIMSetConfig(const char* json_config, TIMCommCallback cb, const void* user_data) {
  auto ctx = timclient::CurrentContext();
  if (!ctx) return TIM_ERR_SDKUNINIT;
  if (!json_config) return TIM_ERR_PARAM;
  std::string result;
  std::optional<uint32_t> callback_level;
  {
    std::lock_guard lock(set_config_mu);
    timclient::SetConfig updated = set_config;
    std::string why;
    const ParseResult parsed = timclient::ParseSetConfig(json_config, &updated, &why);
    if (parsed != ParseResult::kOk) return ToTimResult(parsed);
    set_config = updated;
    callback_level = set_config.callback_log_level;
    result = timclient::SetConfigJson(set_config);
  }
  if (callback_level) ctx->SetCallbackLogLevel(static_cast<int>(*callback_level));
  ctx->PostResult(cb, user_data, 0, "", std::move(result));
  return TIM_SUCC;
}

int TIMLogin(const char* user_id, const char* user_sig, TIMCommCallback cb, const void* user_data) {
  auto ctx = timclient::CurrentContext();
  if (!ctx) return TIM_ERR_SDKUNINIT;
  if (!user_id || !*user_id || !user_sig) return TIM_ERR_PARAM;
  return ctx->Login(user_id, user_sig, cb, user_data);
}

int TIMLogoutEx(uint32_t flags, TIMCommCallback cb, const void* user_data) {
  auto ctx = timclient::CurrentContext();
  if (!ctx) return TIM_ERR_SDKUNINIT;
  if ((flags & ~TIMD_LOGOUT_FLAG_SERVER) != 0) return TIM_ERR_PARAM;
  return ctx->Logout(flags, cb, user_data);
}

int TIMLogout(TIMCommCallback cb, const void* user_data) { return TIMLogoutEx(0, cb, user_data); }

int TIMGetLoginUserID(char* user_id_buffer) {
  auto ctx = timclient::CurrentContext();
  if (!ctx) return TIM_ERR_SDKUNINIT;
  if (!user_id_buffer) return TIM_ERR_PARAM;
  const std::string id = ctx->LoginUserId();
  // TIM's contract: the buffer holds at least 128 bytes.
  const size_t n = std::min<size_t>(id.size(), 127);
  std::memcpy(user_id_buffer, id.data(), n);
  user_id_buffer[n] = '\0';
  return id.empty() ? TIM_ERR_NOTLOGIN : TIM_SUCC;
}

enum TIMLoginStatus TIMGetLoginStatus(void) {
  auto ctx = timclient::CurrentContext();
  return ctx ? ctx->LoginStatus() : kTIMLoginStatus_UnLogined;
}

}  // extern "C"
