// Shows the progress events of one call while it runs (send --file,
// download): a Subscribe stream of one event kind on its own thread, from
// the start of the journal, so that no event of the call can slip past
// before the stream is up; `match` picks the call's events.
#pragma once

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "timd_client.h"

namespace timctl {

class ProgressWatch {
 public:
  // Prints `event` if it belongs to the watched call; true when it is the
  // call's last one (cur_size == total_size).
  using Match = std::function<bool(const tim::v1::Event& event)>;

  ProgressWatch(TimdClient& client, tim::v1::EventKind kind, Match match);
  // Waits briefly for the call's final (100 %) event, then ends the stream.
  ~ProgressWatch();
  ProgressWatch(const ProgressWatch&) = delete;
  ProgressWatch& operator=(const ProgressWatch&) = delete;

  // No (further) event is coming: the call failed.
  void MarkComplete() { complete_ = true; }

 private:
  void Run(TimdClient& client, tim::v1::EventKind kind);
  // One Subscribe from `since_seq`; its status.
  grpc::Status Follow(TimdClient& client, tim::v1::SubscribeRequest request);

  Match match_;
  std::mutex mu_;
  std::unique_ptr<grpc::ClientContext> ctx_;  // the current stream's
  bool stopping_ = false;
  std::atomic<bool> complete_ = false;
  std::thread thread_;
};

// Prints one progress line: the event as JSON with --json, else `text` on stderr.
void PrintProgress(const CommonOptions& options, const tim::v1::Event& event, const std::string& text);

}  // namespace timctl
