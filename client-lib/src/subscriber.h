// The subscriber thread of an attached app: reads timd's Subscribe stream
// (as the app's durable consumer) and posts one dispatch per event to the
// callback queue. When the stream breaks it reconnects with capped backoff
// and resumes after the last seq it received, so the app sees no gap and no
// duplicate; meanwhile the network-status callback says timd is unreachable.
// The queue is bounded (EventBudget): when it is full the stream is dropped
// and replayed from the same point once the app's callbacks caught up. When
// timd's journal no longer holds that point, it resumes at the oldest event
// timd still has and reports the gap through the Log callback.
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

#include "event_budget.h"
#include "tim/v1/events.pb.h"
#include "timd/api_stubs.h"

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
    // Bounds what is queued for the callback thread.
    std::shared_ptr<EventBudget> budget;
  };

  Subscriber(std::shared_ptr<timd::ApiStubs> stubs, CallbackQueue& queue, Options options);
  ~Subscriber();  // Stop()
  Subscriber(const Subscriber&) = delete;
  Subscriber& operator=(const Subscriber&) = delete;

  // Ends the stream and joins the thread; no event is posted afterwards.
  void Stop();
  // The filter changed: resubscribe at once, from where the stream was.
  void Refresh();

 private:
  void Run();
  // One Subscribe call until it ends; returns its status. `overflowed`: it
  // ended because the callback queue was full.
  grpc::Status Stream(const std::shared_ptr<grpc::ClientContext>& ctx, bool* overflowed);
  // The journal lost events after `after` before `oldest`: tell the app.
  void ReportGap(uint64_t after, uint64_t oldest);
  // GetLoginStatus as a reachability probe; posts the status to the app.
  bool Probe();
  void PostNetworkStatus(int status, int32_t code, const std::string& desc);
  void PostLog(int level, const std::string& text);
  bool SleepUnlessStopped(std::chrono::milliseconds delay);

  const std::shared_ptr<timd::ApiStubs> stubs_;
  CallbackQueue& queue_;
  const Options options_;

  // Resume point: the last seq queued for the app (or the oldest retained - 1
  // after OUT_OF_RANGE); unset means "the consumer's stored cursor".
  std::optional<uint64_t> resume_after_;

  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  bool refresh_ = false;
  std::shared_ptr<grpc::ClientContext> call_;  // the open Subscribe call
  std::thread thread_;
};

}  // namespace timclient
