// The single doorway from other threads into the libuv loop thread: a mutex-
// protected task queue drained by a uv_async_t callback. Everything that
// touches protocol or store state runs as one of these tasks.
#pragma once

#include <uv.h>

#include <deque>
#include <functional>
#include <mutex>

namespace timd {

class LoopQueue {
 public:
  using Task = std::function<void()>;

  // Must be constructed on the loop thread.
  explicit LoopQueue(uv_loop_t* loop);
  ~LoopQueue();
  LoopQueue(const LoopQueue&) = delete;
  LoopQueue& operator=(const LoopQueue&) = delete;

  // Thread-safe. Returns false (and drops the task) once Close() was called.
  bool Post(Task task);

  // Loop thread only. Runs pending tasks, then closes the async handle.
  void Close();

 private:
  static void OnAsync(uv_async_t* handle);
  void Drain();

  uv_async_t* async_;  // heap-owned: uv_close completes after destruction
  std::mutex mu_;
  std::deque<Task> tasks_;
  bool closed_ = false;
};

}  // namespace timd
