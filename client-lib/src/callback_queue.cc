#include "callback_queue.h"

#include <utility>

namespace timclient {

CallbackQueue::CallbackQueue() : state_(std::make_shared<State>()), thread_([s = state_] { Run(s); }) {}

CallbackQueue::~CallbackQueue() { Stop(); }

void CallbackQueue::Post(std::function<void()> task) {
  {
    std::lock_guard lock(state_->mu);
    if (state_->finished) return;
    state_->tasks.push_back(std::move(task));
  }
  state_->cv.notify_one();
}

void CallbackQueue::Stop() {
  {
    std::lock_guard lock(state_->mu);
    state_->stopping = true;
  }
  state_->cv.notify_one();
  if (!thread_.joinable()) return;
  if (OnCallbackThread()) {
    thread_.detach();
  } else {
    thread_.join();
  }
}

void CallbackQueue::Run(const std::shared_ptr<State>& state) {
  std::unique_lock lock(state->mu);
  for (;;) {
    state->cv.wait(lock, [&] { return state->stopping || !state->tasks.empty(); });
    if (state->tasks.empty()) break;  // stopping and drained
    auto task = std::move(state->tasks.front());
    state->tasks.pop_front();
    lock.unlock();
    task();
    lock.lock();
  }
  state->finished = true;
}

}  // namespace timclient
