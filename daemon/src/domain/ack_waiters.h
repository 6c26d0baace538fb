// Stanzas that an operation sent and now waits to see the server
// acknowledge (XEP-0198): a revoke or a correction takes effect locally
// only once its stanza reached the server, so the store never says
// "revoked" or "corrected" about something the peer will never be told.
// Each waiter learns once: OK on the ack, or the failure (deadline passed,
// fresh session, login ended).
#pragma once

#include <uv.h>

#include <cstdint>
#include <functional>
#include <map>

#include "common/status.h"
#include "common/timer.h"

namespace timd::domain {

class AckWaiters {
 public:
  using Done = std::function<void(const Status& status)>;

  AckWaiters(uv_loop_t* loop, uint64_t timeout_ms) : timer_(loop), timeout_ms_(timeout_ms) {}
  // Fails every waiter still waiting: nobody is left hanging.
  ~AckWaiters();

  // Waits for the outbound stanza `seq` (Client::Send's number, not 0).
  void Wait(uint64_t seq, Done done);
  // Outbound stanzas up to `handled` reached the server.
  void OnAcked(uint64_t handled);
  // No ack will come for any waiting stanza (a fresh session counts anew,
  // or the login ended): each waiter fails with `why`.
  void FailAll(const Status& why);

 private:
  struct Waiter {
    uint64_t deadline_ms;
    Done done;
  };
  void ArmTimer();
  void OnTimer();

  Timer timer_;
  uint64_t timeout_ms_;
  std::map<uint64_t, Waiter> waiting_;  // by stanza seq
};

}  // namespace timd::domain
