#include "xmpp/liveness.h"

#include <utility>

namespace timd::xmpp {

Liveness::Liveness(uv_loop_t* loop, uint64_t interval_ms, uint64_t timeout_ms, Callbacks callbacks)
    : loop_(loop),
      interval_ms_(interval_ms),
      timeout_ms_(timeout_ms),
      callbacks_(std::move(callbacks)),
      idle_timer_(loop),
      probe_timer_(loop) {}

void Liveness::Start() {
  probe_pending_ = false;
  probe_timer_.Stop();
  if (interval_ms_ == 0) return;
  last_received_ms_ = uv_now(loop_);
  idle_timer_.Start(interval_ms_, [this] { OnIdle(); });
}

void Liveness::Stop() {
  idle_timer_.Stop();
  probe_timer_.Stop();
  probe_pending_ = false;
}

void Liveness::OnInput() {
  last_received_ms_ = uv_now(loop_);
  if (!probe_pending_) return;
  probe_pending_ = false;
  probe_timer_.Stop();
  if (interval_ms_ > 0) idle_timer_.Start(interval_ms_, [this] { OnIdle(); });
}

void Liveness::ProbeNow() {
  if (probe_pending_ || timeout_ms_ == 0) return;
  Probe();
}

void Liveness::OnIdle() {
  if (probe_pending_) return;
  uint64_t idle = uv_now(loop_) - last_received_ms_;
  if (idle < interval_ms_) {
    idle_timer_.Start(interval_ms_ - idle, [this] { OnIdle(); });
    return;
  }
  Probe();
}

void Liveness::Probe() {
  probe_pending_ = true;
  probe_timer_.Start(timeout_ms_, [this] {
    std::function<void()> on_dead = callbacks_.on_dead;  // it may destroy this
    on_dead();
  });
  callbacks_.probe();
}

}  // namespace timd::xmpp
