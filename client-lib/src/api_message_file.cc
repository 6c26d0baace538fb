// TIMMessageManager.h: downloading a file element (TIMMsgDownloadElemToPath).
// Files are sent with TIMMsgSendMessage (api_message.cc); their upload
// progress comes through TIMSetMsgElemUploadProgressCallback.
#include <openssl/rand.h>

#include <chrono>
#include <string>

#include "TIMCloud.h"
#include "download_watchers.h"
#include "global.h"
#include "tim_json.h"

namespace {

// A download takes as long as the file needs; the daemon ends stalled ones.
constexpr auto kDownloadTimeout = std::chrono::hours(24);

std::string NewDownloadId() {
  unsigned char bytes[12];
  RAND_bytes(bytes, sizeof bytes);
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string id = "timclient-";
  for (unsigned char b : bytes) {
    id += kDigits[b >> 4];
    id += kDigits[b & 0xf];
  }
  return id;
}

// The final result: delivered on the callback thread after every progress
// call queued before it, and only then does the call stop taking progress.
struct FinalResult {
  TIMCommCallback cb;
  const void* user_data;
  std::string download_id;
};

void DeliverFinal(int32_t code, const char* desc, const char* json, const void* user_data) {
  auto* final_result = static_cast<FinalResult*>(const_cast<void*>(user_data));
  timclient::DownloadWatchers::Instance().Remove(final_result->download_id);
  if (final_result->cb) final_result->cb(code, desc, json, final_result->user_data);
  delete final_result;
}

}  // namespace

extern "C" {

int TIMMsgDownloadElemToPath(const char* json_download_elem_param, const char* path, TIMCommCallback cb,
                             const void* user_data) {
  auto ctx = timclient::CurrentContext();
  if (!ctx) return TIM_ERR_SDKUNINIT;
  if (!path || !*path) return TIM_ERR_PARAM;
  tim::v1::DownloadElemToPathRequest request;
  std::string why;
  if (auto parsed = timclient::ParseDownloadElemParam(json_download_elem_param, &request, &why);
      parsed != timclient::ParseResult::kOk) {
    return parsed == timclient::ParseResult::kJson ? TIM_ERR_JSON : TIM_ERR_PARAM;
  }
  request.set_path(path);
  request.set_download_id(NewDownloadId());
  timclient::DownloadWatchers::Instance().Add(request.download_id(), cb, user_data);
  auto* final_result = new FinalResult{cb, user_data, request.download_id()};
  const bool started = ctx->Call(
      ctx->stubs().messages->async(), &timclient::MessagesAsync::DownloadElemToPath, std::move(request),
      kDownloadTimeout,
      [ctx = ctx.get(), final_result](const timclient::TimError& error, tim::v1::DownloadElemToPathResponse&) {
        ctx->PostResult(&DeliverFinal, final_result, error.code, error.desc, "");
      });
  if (!started) {
    timclient::DownloadWatchers::Instance().Remove(final_result->download_id);
    delete final_result;
    return TIM_ERR_SDKUNINIT;
  }
  return TIM_SUCC;
}

}  // extern "C"
