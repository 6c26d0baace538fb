#include "common/loop_queue.h"

#include <utility>

namespace timd {

LoopQueue::LoopQueue(uv_loop_t* loop) : async_(new uv_async_t) {
  uv_async_init(loop, async_, &LoopQueue::OnAsync);
  async_->data = this;
}

LoopQueue::~LoopQueue() { Close(); }

bool LoopQueue::Post(Task task) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (closed_) return false;
    tasks_.push_back(std::move(task));
  }
  uv_async_send(async_);
  return true;
}

void LoopQueue::OnAsync(uv_async_t* handle) {
  static_cast<LoopQueue*>(handle->data)->Drain();
}

void LoopQueue::Drain() {
  std::deque<Task> batch;
  {
    std::lock_guard<std::mutex> lock(mu_);
    batch.swap(tasks_);
  }
  for (auto& task : batch) task();
}

void LoopQueue::Close() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (closed_) return;
    closed_ = true;
  }
  Drain();
  async_->data = nullptr;
  uv_close(reinterpret_cast<uv_handle_t*>(async_),
           [](uv_handle_t* h) { delete reinterpret_cast<uv_async_t*>(h); });
}

}  // namespace timd
