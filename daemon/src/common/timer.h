// A one-shot libuv timer for loop-thread code.
#pragma once

#include <uv.h>

#include <functional>

namespace timd {

// A one-shot libuv timer whose handle outlives its owner until uv_close
// completes. Destroying it inside its own callback is safe.
class Timer {
 public:
  explicit Timer(uv_loop_t* loop) : handle_(new Handle) {
    uv_timer_init(loop, &handle_->timer);
  }
  ~Timer() {
    handle_->fn = nullptr;
    uv_close(reinterpret_cast<uv_handle_t*>(&handle_->timer),
             [](uv_handle_t* h) { delete reinterpret_cast<Handle*>(h); });
  }
  Timer(const Timer&) = delete;
  Timer& operator=(const Timer&) = delete;

  void Start(uint64_t delay_ms, std::function<void()> fn) {
    handle_->fn = std::move(fn);
    uv_timer_start(&handle_->timer, [](uv_timer_t* t) {
      std::function<void()> fn = reinterpret_cast<Handle*>(t)->fn;
      if (fn) fn();
    }, delay_ms, 0);
  }
  void Stop() { uv_timer_stop(&handle_->timer); }
  bool active() const { return uv_is_active(reinterpret_cast<const uv_handle_t*>(&handle_->timer)) != 0; }

 private:
  struct Handle {
    uv_timer_t timer;  // first member: the close callback casts back
    std::function<void()> fn;
  };
  Handle* handle_;
};

}  // namespace timd
