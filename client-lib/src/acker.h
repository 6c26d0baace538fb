// Records the app's progress in timd: every ~100 ms, if the app has been
// given new events since the last time, AckEvents(consumer, last delivered
// seq). The final ack on logout/uninit is the caller's (AckNow).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "timd/api_stubs.h"

namespace timclient {

class Acker {
 public:
  Acker(std::shared_ptr<timd::ApiStubs> stubs, std::string consumer,
        std::shared_ptr<const std::atomic<uint64_t>> delivered_seq);
  ~Acker();  // Stop()
  Acker(const Acker&) = delete;
  Acker& operator=(const Acker&) = delete;

  void Stop();

  // One blocking AckEvents; false on failure.
  static bool AckNow(tim::v1::Events::Stub& events, const std::string& consumer, uint64_t seq,
                     std::chrono::milliseconds timeout);

 private:
  void Run();

  const std::shared_ptr<timd::ApiStubs> stubs_;
  const std::string consumer_;
  const std::shared_ptr<const std::atomic<uint64_t>> delivered_seq_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace timclient
