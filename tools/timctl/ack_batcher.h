// Acknowledges processed events for a durable consumer (AckEvents) from a
// background thread: at most one call per 200 ms, and a final one at Finish().
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

#include "timd_client.h"

namespace timctl {

class AckBatcher {
 public:
  AckBatcher(TimdClient& client, std::string consumer);
  ~AckBatcher();
  AckBatcher(const AckBatcher&) = delete;
  AckBatcher& operator=(const AckBatcher&) = delete;

  // Every event up to `seq` has been processed.
  void Processed(uint64_t seq);
  // Stops the thread and acknowledges what is left. Returns kExitOk, or the
  // exit code of the first failed AckEvents call (already reported).
  int Finish();

 private:
  void Run();
  // Sends one AckEvents for pending_; called with mu_ held, releases it during the call.
  void SendLocked(std::unique_lock<std::mutex>& lock);

  TimdClient& client_;
  const std::string consumer_;
  std::mutex mu_;
  std::condition_variable cv_;
  uint64_t pending_ = 0;  // highest processed seq
  uint64_t sent_ = 0;     // highest seq acknowledged (or attempted)
  bool stopping_ = false;
  int first_error_ = kExitOk;
  std::thread thread_;
};

}  // namespace timctl
