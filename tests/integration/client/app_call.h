// What the TIM C API test apps share: printing result lines from any
// thread, and waiting for one TIMCommCallback result.
#pragma once

#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <string>

#include "TIMCloud.h"

namespace timd::test {

inline void PrintLine(const std::string& line) {
  static std::mutex mu;
  std::lock_guard lock(mu);
  std::printf("%s\n", line.c_str());
  std::fflush(stdout);
}

// One TIMCommCallback result, waited for. TIMMsgDownloadElemToPath's
// interim calls (code 0, desc "downloading") are printed as
// "download-progress <json>" and do not end the wait.
struct AppCall {
  std::mutex mu;
  std::condition_variable cv;
  bool done = false;
  int code = 0;
  std::string json;

  static void Callback(int32_t code, const char* desc, const char* json, const void* user_data) {
    if (code == 0 && std::string(desc) == "downloading") return PrintLine(std::string("download-progress ") + json);
    auto* call = static_cast<AppCall*>(const_cast<void*>(user_data));
    std::lock_guard lock(call->mu);
    call->done = true;
    call->code = code;
    call->json = code == 0 ? json : desc;
    call->cv.notify_all();
  }
  // Waits for the result of an accepted call and prints it as `name`.
  int Finish(const char* name, int rc) {
    if (rc != TIM_SUCC) {
      PrintLine(std::string(name) + " refused " + std::to_string(rc));
      return rc;
    }
    std::unique_lock lock(mu);
    cv.wait(lock, [this] { return done; });
    PrintLine(std::string(name) + " " + std::to_string(code) + " " + json);
    return code;
  }
};

}  // namespace timd::test
