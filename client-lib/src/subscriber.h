// The subscriber thread of an attached app: reads timd's Subscribe stream
// (as the app's durable consumer) and posts one dispatch per event to the
// callback queue. When the stream breaks it reconnects with capped backoff
// and resumes after the last seq it received, so the app sees no gap and no
// duplicate; meanwhile the network-status callback says timd is unreachable.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "tim/v1/timd.grpc.pb.h"

namespace timclient {

class CallbackQueue;

class Subscriber {
 public:
  struct Options {
    std::string consumer;
    std::string socket_path;  // for messages
    // Fills kinds and min_log_level for each (re)subscription.
    std::function<void(tim::v1::SubscribeRequest*)> filter;
    // Posted (on the callback thread) after an event's callbacks ran.
    std::shared_ptr<std::atomic<uint64_t>> delivered_seq;
  };

  Subscriber(std::shared_ptr<tim::v1::Timd::Stub> stub, CallbackQueue& queue, Options options);
  ~Subscriber();  // Stop()
  Subscriber(const Subscriber&) = delete;
  Subscriber& operator=(const Subscriber&) = delete;

  // Ends the stream and joins the thread; no event is posted afterwards.
  void Stop();
  // The filter changed: resubscribe at once, from where the stream was.
  void Refresh();

 private:
  void Run();
  // One Subscribe call until it ends; returns its status.
  grpc::Status Stream(const std::shared_ptr<grpc::ClientContext>& ctx);
  // GetLoginStatus as a reachability probe; posts the status to the app.
  bool Probe();
  void PostNetworkStatus(int status, int32_t code, const std::string& desc);
  void PostLog(int level, const std::string& text);
  bool SleepUnlessStopped(std::chrono::milliseconds delay);

  const std::shared_ptr<tim::v1::Timd::Stub> stub_;
  CallbackQueue& queue_;
  const Options options_;

  // Resume point: the last seq received (or the oldest retained - 1 after
  // OUT_OF_RANGE); unset means "the consumer's stored cursor".
  std::optional<uint64_t> resume_after_;

  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  bool refresh_ = false;
  std::shared_ptr<grpc::ClientContext> call_;  // the open Subscribe call
  std::thread thread_;
};

}  // namespace timclient
