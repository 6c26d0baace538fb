// A domain service that works over the login's XMPP streams (messages now;
// friends, groups and profiles later). Session owns the connection
// lifecycle and tells each participant about it, on the loop thread, so a
// new feature adds its XEP modules inside its own service, not in Session.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "common/status.h"
#include "xmpp/client.h"
#include "xmpp/feature_registry.h"

namespace timd::domain {

// What a participant adds to one stream. Destroyed with the stream, before
// its client.
class StreamModules {
 public:
  virtual ~StreamModules() = default;
};

// One step of the catch-up after a fresh bind (see StreamParticipant).
struct CatchUpStep {
  // Shown in the login status while the step runs ("catching up: ...").
  std::function<void(const std::string& progress)> progress;
  // The step is over; `outcome` ("" = nothing worth saying) ends up in the
  // NetworkStatus event that reports the catch-up finished. Not called when
  // the stream ends first.
  std::function<void(const std::string& outcome)> done;
};

class StreamParticipant {
 public:
  virtual ~StreamParticipant() = default;

  // A login as `own_jid` (bare) begins.
  virtual void OnLogin(const std::string& own_jid) = 0;
  // A new stream is set up: create this service's XEP modules on `client`
  // and register them (and so their disco features) with `features`.
  virtual std::unique_ptr<StreamModules> OnStreamCreated(xmpp::Client& client, xmpp::FeatureRegistry& features) = 0;
  // Bound afresh: what the previous stream sent and the server did not
  // acknowledge will never be acknowledged on this one. (A resumed stream
  // missed nothing and keeps its outbound sequence numbers: OnCaughtUp
  // follows at once.)
  virtual void OnBound() = 0;
  // Outbound stanzas up to `handled` reached the server (XEP-0198).
  virtual void OnAcked(uint64_t handled) = 0;
  // Catch-up after OnBound runs in two phases, every participant's first
  // phase, then the initial presence, then every second phase: what the
  // server stored while timd was away is fetched before presence makes it
  // deliver offline messages.
  virtual void CatchUpBeforePresence(CatchUpStep step) = 0;
  virtual void CatchUpAfterPresence(CatchUpStep step) = 0;
  // The stream is current (after the catch-up, or resumed): what waited
  // for it may go out.
  virtual void OnCaughtUp() = 0;
  // The stream ended; the login goes on (a reconnect follows).
  virtual void OnStreamLost() = 0;
  // The login ended for good (logout, refused credentials, kicked).
  virtual void OnLoginEnded(const Status& why) = 0;
};

}  // namespace timd::domain
