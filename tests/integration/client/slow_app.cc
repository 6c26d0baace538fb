// slow_app: a TIM C API app whose new-message callback can stall, for the
// client library's bounded callback queue and journal-gap tests.
//
//   slow_app --socket S --consumer C --user U --sig-file F --out FILE
//            [--stall-on TEXT --until FILE] [--queue-events N] [--queue-bytes N]
//
// Appends the text of every message it did not send itself to --out, cut to
// 40 bytes, one per line. The callback that gets a message whose first word
// is --stall-on blocks until the --until file exists. Prints "ready" once
// logged in, "log <level> <text>" per Log callback and "network <status>"
// per network status; runs until SIGTERM, then prints how many new-message
// callbacks it got.
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "TIMCloud.h"
#include "integration/client/app_args.h"

namespace {

std::atomic<bool> stop{false};
std::atomic<long> callbacks{0};
std::ofstream out;
std::string stall_on, until_file;

std::string FirstWord(const std::string& text) { return text.substr(0, text.find(' ')); }

void OnNewMessages(const char* json_msg_array, const void*) {
  ++callbacks;
  for (const auto& msg : nlohmann::json::parse(json_msg_array)) {
    if (msg.value(kTIMMsgIsFormSelf, false)) continue;
    std::string text;
    for (const auto& elem : msg.value(kTIMMsgElemArray, nlohmann::json::array())) {
      if (elem.contains(kTIMTextElemContent)) text = elem[kTIMTextElemContent].get<std::string>();
    }
    out << text.substr(0, 40) << '\n' << std::flush;
    if (!stall_on.empty() && FirstWord(text) == stall_on) {
      while (!stop && access(until_file.c_str(), F_OK) != 0) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
}

void OnLog(TIMLogLevel level, const char* text, const void*) {
  std::printf("log %d %s\n", static_cast<int>(level), text);
  std::fflush(stdout);
}

void OnNetwork(TIMNetworkStatus status, int32_t code, const char* desc, const void*) {
  std::printf("network %d %d %s\n", static_cast<int>(status), code, desc);
  std::fflush(stdout);
}

struct LoginResult {
  std::mutex mu;
  std::condition_variable cv;
  bool done = false;
  int code = 0;
  std::string desc;
};

void OnLogin(int32_t code, const char* desc, const char*, const void* user_data) {
  auto* result = static_cast<LoginResult*>(const_cast<void*>(user_data));
  std::lock_guard lock(result->mu);
  result->done = true;
  result->code = code;
  result->desc = desc;
  result->cv.notify_all();
}

}  // namespace

int main(int argc, char** argv) {
  timd::test::AppArgs parsed = timd::test::ParseAppArgs(argc, argv);
  auto& args = parsed.values;
  const std::string& sig = parsed.sig;
  out.open(args["--out"], std::ios::app);
  stall_on = args["--stall-on"];
  until_file = args["--until"];
  if (args["--user"].empty() || sig.empty() || !out) {
    std::cerr << "usage: slow_app --socket S --consumer C --user U --sig-file F --out FILE ...\n";
    return 2;
  }
  std::signal(SIGTERM, [](int) { stop = true; });

  nlohmann::json config = {{kTIMDSdkConfigSocket, args["--socket"]}, {kTIMDSdkConfigConsumer, args["--consumer"]}};
  if (args.count("--queue-events")) config[kTIMDSdkConfigCallbackQueueEvents] = std::stoull(args["--queue-events"]);
  if (args.count("--queue-bytes")) config[kTIMDSdkConfigCallbackQueueBytes] = std::stoull(args["--queue-bytes"]);
  if (TIMInit(0, config.dump().c_str()) != TIM_SUCC) {
    std::cerr << "TIMInit failed\n";
    return 1;
  }
  TIMAddRecvNewMsgCallback(OnNewMessages, nullptr);
  TIMSetLogCallback(OnLog, nullptr);
  TIMSetNetworkStatusListenerCallback(OnNetwork, nullptr);
  LoginResult login;
  TIMLogin(args["--user"].c_str(), sig.c_str(), OnLogin, &login);
  {
    std::unique_lock lock(login.mu);
    login.cv.wait(lock, [&] { return login.done; });
  }
  if (login.code != 0) {
    std::cerr << "login failed: " << login.code << " " << login.desc << "\n";
    TIMUninit();
    return 1;
  }
  std::printf("ready\n");
  std::fflush(stdout);
  while (!stop) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  TIMUninit();
  std::printf("done after %ld new-message callbacks\n", callbacks.load());
  return 0;
}
