// The library's callback thread: a FIFO of closures run one at a time, in
// the order posted. Every callback the app sees (events and TIMCommCallback
// results) runs here, never inside the API call that caused it.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

namespace timclient {

class CallbackQueue {
 public:
  CallbackQueue();
  ~CallbackQueue();  // Stop()
  CallbackQueue(const CallbackQueue&) = delete;
  CallbackQueue& operator=(const CallbackQueue&) = delete;

  // Any thread. Closures posted after the thread has finished are dropped.
  void Post(std::function<void()> task);

  // Runs what is queued (including what those tasks post), then ends the
  // thread. Called from the callback thread itself (an app calling TIMUninit
  // inside a callback) it cannot wait: the thread drains and ends on its own.
  void Stop();

  bool OnCallbackThread() const { return std::this_thread::get_id() == thread_.get_id(); }

 private:
  // Shared with the thread, which may outlive this object after Stop() from
  // the callback thread.
  struct State {
    std::mutex mu;
    std::condition_variable cv;
    std::deque<std::function<void()>> tasks;
    bool stopping = false;
    bool finished = false;
  };
  static void Run(const std::shared_ptr<State>& state);

  std::shared_ptr<State> state_;
  std::thread thread_;
};

}  // namespace timclient
