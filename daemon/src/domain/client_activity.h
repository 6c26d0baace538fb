// XEP-0352 policy: timd is "active" while at least one local app holds a
// Subscribe stream open, and "inactive" while none does, so the server may
// hold back presence floods for an unattended daemon (messages still arrive
// at once). Going inactive waits kInactiveDelayMs, so an app that
// reconnects does not make the state flap; going active is immediate.
// The app count comes from the event bus; the stream's CsiManager says it.
#pragma once

#include <uv.h>

#include <cstdint>

#include "common/timer.h"
#include "events/event_bus.h"
#include "xmpp/csi.h"

namespace timd::domain {

class ClientActivity {
 public:
  static constexpr uint64_t kInactiveDelayMs = 2000;

  ClientActivity(uv_loop_t* loop, events::EventBus& bus);
  ~ClientActivity();
  ClientActivity(const ClientActivity&) = delete;
  ClientActivity& operator=(const ClientActivity&) = delete;

  // A stream is online (fresh or resumed): tell its server the state.
  void Attach(xmpp::CsiManager& csi);
  // That stream ended.
  void Detach() { csi_ = nullptr; }

 private:
  void OnAppCount(size_t apps);
  void Indicate();

  events::EventBus& bus_;
  Timer inactive_timer_;
  bool active_ = false;
  xmpp::CsiManager* csi_ = nullptr;
};

}  // namespace timd::domain
