// The TIMMsgDownloadElemToPath calls under way: each one's callback gets
// the DOWNLOAD_PROGRESS events that name its download_id ("downloading"
// calls) until its final result is delivered.
#pragma once

#include <map>
#include <mutex>
#include <string>

#include "TIMCloud.h"
#include "tim/v1/events.pb.h"

namespace timclient {

class DownloadWatchers {
 public:
  static DownloadWatchers& Instance();

  void Add(const std::string& download_id, TIMCommCallback cb, const void* user_data);
  void Remove(const std::string& download_id);
  // On the callback thread: the event's call, if still under way, gets
  // (0, "downloading", {current_size, total_size}).
  void Dispatch(const tim::v1::DownloadProgressEvent& progress);

 private:
  struct Watcher {
    TIMCommCallback cb;
    const void* user_data;
  };
  std::mutex mu_;
  std::map<std::string, Watcher> watchers_;
};

}  // namespace timclient
