// Notices a dead link while a stream is online: after `interval_ms` without
// an inbound byte it has the owner probe the server (an XEP-0198 <r/> or an
// XEP-0199 ping); when no byte at all arrives within `timeout_ms` of the
// probe, the link is dead. Any inbound byte answers a probe: a busy link is
// never probed.
#pragma once

#include <uv.h>

#include <cstdint>
#include <functional>

#include "common/timer.h"

namespace timd::xmpp {

class Liveness {
 public:
  struct Callbacks {
    std::function<void()> probe;    // send something the server must answer
    std::function<void()> on_dead;  // no answer in time
  };

  // interval_ms 0: no probes after silence; timeout_ms 0: no probes at all.
  Liveness(uv_loop_t* loop, uint64_t interval_ms, uint64_t timeout_ms, Callbacks callbacks);

  // The stream is online: silence counts from now.
  void Start();
  // The stream ended: no more probes or deadlines.
  void Stop();
  // Inbound bytes arrived.
  void OnInput();
  // Probes now instead of after a silence (e.g. the network changed). Only
  // between Start() and Stop().
  void ProbeNow();

 private:
  void OnIdle();
  void Probe();

  uv_loop_t* loop_;
  const uint64_t interval_ms_;
  const uint64_t timeout_ms_;
  Callbacks callbacks_;
  Timer idle_timer_;   // fires after interval_ms_ without input
  Timer probe_timer_;  // the probe's deadline
  uint64_t last_received_ms_ = 0;  // uv_now() of the last inbound bytes
  bool probe_pending_ = false;
};

}  // namespace timd::xmpp
