#include "download_watchers.h"

#include "tim_json.h"

namespace timclient {

DownloadWatchers& DownloadWatchers::Instance() {
  static DownloadWatchers instance;
  return instance;
}

void DownloadWatchers::Add(const std::string& download_id, TIMCommCallback cb, const void* user_data) {
  std::lock_guard lock(mu_);
  watchers_[download_id] = Watcher{cb, user_data};
}

void DownloadWatchers::Remove(const std::string& download_id) {
  std::lock_guard lock(mu_);
  watchers_.erase(download_id);
}

void DownloadWatchers::Dispatch(const tim::v1::DownloadProgressEvent& progress) {
  Watcher watcher{};
  {
    std::lock_guard lock(mu_);
    auto it = watchers_.find(progress.download_id());
    if (it == watchers_.end()) return;
    watcher = it->second;
  }
  if (!watcher.cb) return;
  const std::string json = DownloadProgressJson(progress.cur_size(), progress.total_size());
  watcher.cb(0, "downloading", json.c_str(), watcher.user_data);
}

}  // namespace timclient
