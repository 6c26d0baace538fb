// What the test apps of this directory share: printing a line at a time
// (callbacks print from the library's thread), and one TIMCommCallback
// result waited for and printed as "<name> <code> <json or desc>".
#pragma once

#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <string>

#include "TIMCloud.h"

namespace timd::test {

inline void Print(const std::string& line) {
  static std::mutex mu;
  std::lock_guard lock(mu);
  std::printf("%s\n", line.c_str());
  std::fflush(stdout);
}

// One TIMCommCallback result, waited for. TIMMsgDownloadElemToPath's
// interim calls (code 0, desc "downloading") are printed as
// "download-progress <json>" and do not end the wait.
struct Call {
  std::mutex mu;
  std::condition_variable cv;
  bool done = false;
  int code = 0;
  std::string json;

  static void Callback(int32_t code, const char* desc, const char* json, const void* user_data) {
    if (code == 0 && std::string(desc) == "downloading") return Print(std::string("download-progress ") + json);
    auto* call = static_cast<Call*>(const_cast<void*>(user_data));
    std::lock_guard lock(call->mu);
    call->done = true;
    call->code = code;
    call->json = code == 0 ? json : desc;
    call->cv.notify_all();
  }
  // Waits for the result of an accepted call and prints it as `name`.
  int Finish(const char* name, int rc) {
    if (rc != TIM_SUCC) {
      Print(std::string(name) + " refused " + std::to_string(rc));
      return rc;
    }
    std::unique_lock lock(mu);
    cv.wait(lock, [this] { return done; });
    Print(std::string(name) + " " + std::to_string(code) + " " + json);
    return code;
  }
};

// Runs one asynchronous call as `name` (`start` gets the Call to pass as
// user_data and returns the C function's result) and prints its result.
template <typename Start>
void Run(const char* name, Start start) {
  Call call;
  call.Finish(name, start(&call));
}

}  // namespace timd::test
