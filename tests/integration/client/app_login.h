// How every test app of this directory starts: TIMInit against --socket as
// --consumer, its callbacks set, then TIMLogin of --user with the sig,
// printed as "login <code> <json or desc>".
#pragma once

#include <functional>
#include <nlohmann/json.hpp>

#include "TIMCloud.h"
#include "integration/client/app_args.h"
#include "integration/client/app_call.h"

namespace timd::test {

// `set_callbacks` runs between TIMInit and TIMLogin, so no event of the
// login is missed. False, after TIMUninit, when either call fails.
inline bool InitAndLogin(AppArgs& parsed, const std::function<void()>& set_callbacks = {}) {
  auto& args = parsed.values;
  const nlohmann::json config = {{kTIMDSdkConfigSocket, args["--socket"]},
                                 {kTIMDSdkConfigConsumer, args["--consumer"]}};
  if (TIMInit(0, config.dump().c_str()) != TIM_SUCC) return false;
  if (set_callbacks) set_callbacks();
  Call login;
  if (login.Finish("login", TIMLogin(args["--user"].c_str(), parsed.sig.c_str(), Call::Callback, &login)) != 0) {
    TIMUninit();
    return false;
  }
  return true;
}

}  // namespace timd::test
