// The daemon's login: owns the XMPP client for the current connection, runs
// the login state machine (TIM's Logined / Logining / UnLogined /
// Logouting), reconnects with capped exponential backoff and full jitter
// after transient failures, never retries permanent ones (bad credentials,
// expired token, certificate refused, kicked by another login), and reports
// every transition as a NetworkStatus event. The services that work over
// the connection (StreamParticipant) learn of each stream from it and add
// their own XEP modules; Session itself keeps only the stream's core
// modules (ping, disco, caps, client state).
#pragma once

#include <uv.h>

#include <memory>
#include <random>
#include <string>
#include <vector>

#include "common/log_throttle.h"
#include "domain/client_activity.h"
#include "domain/login_state.h"
#include "domain/peer_caps.h"
#include "domain/server_features.h"
#include "domain/session_calls.h"
#include "domain/stream_participant.h"
#include "domain/user_ids.h"
#include "events/event_bus.h"
#include "store/settings.h"
#include "store/space_reserve.h"
#include "xmpp/caps.h"
#include "xmpp/client.h"
#include "xmpp/csi.h"
#include "xmpp/disco.h"
#include "xmpp/feature_registry.h"
#include "xmpp/ping.h"

namespace timd::domain {

struct SessionOptions {
  std::string domain;          // default domain for IDs without '@'
  // host/port/TLS. Host empty and port 0: the server is found by DNS SRV;
  // host empty with a port: the user's domain; port 0 with a host: 5222.
  xmpp::TransportOptions transport;
  std::vector<std::string> dns_servers;  // for SRV lookups; empty = the system's resolver
  std::string resource;        // fixed resource (kick semantics); empty = derived
  uint64_t backoff_base_ms = 1000;
  uint64_t backoff_cap_ms = 5 * 60 * 1000;
  uint64_t ping_interval_ms = 30000;  // silence before probing the server
  uint64_t ping_timeout_ms = 30000;   // no answer after the probe = dead link
};

class Session final : public SessionCalls, public LoginState {
 public:
  // `reserve` (may be null) is released when the store fails, so the events
  // saying so still fit on a full disk, and restored before reconnecting,
  // after `db`'s WAL has given its space back.
  Session(uv_loop_t* loop, SessionOptions options, store::Database& db, store::Settings& settings,
          store::CapsStore& caps, events::EventBus& bus, store::SpaceReserve* reserve = nullptr);
  ~Session() override;

  // Before the first Login. `participant` outlives the Session.
  void AddParticipant(StreamParticipant& participant) { participants_.push_back(&participant); }

  // SessionCalls
  void Login(const tim::v1::LoginRequest& request, Done<tim::v1::LoginResponse> done) override;
  void Logout(Done<tim::v1::LogoutResponse> done) override;
  tim::v1::GetLoginStatusResponse GetLoginStatus() override;

  // LoginState
  bool logged_in() const override { return login_status_ != tim::v1::UNLOGINED; }
  const std::string& store_failure() const override { return store_failure_; }
  const UserIds& ids() const override { return ids_; }

  // Closes the stream politely; `done` runs when it is closed (or at once).
  void Shutdown(std::function<void()> done);

  // The machine's network changed (`what`, for the log): a reconnect that
  // waits in backoff is tried now; a live connection is probed now.
  void OnNetworkChange(const std::string& what);

  // What the peers' software supports (XEP-0115), for features that use
  // an extension only with peers that understand it.
  PeerCaps& peer_caps() { return peer_caps_; }

 private:
  struct Connection;
  void StartAttempt();
  // Creates the stream's XEP modules and registers them (and their disco
  // features) with its client.
  void AddModules(Connection& conn);
  // What every presence timd sends carries: the XEP-0115 <c/>.
  std::vector<xmpp::Element> PresencePayload() const;
  void OnOnline(const xmpp::Jid& jid);
  void OnResumed(const xmpp::Jid& jid);
  // After a fresh bind: every participant's first catch-up phase, the
  // initial presence, every second phase (see StreamParticipant), then
  // FinishCatchUp with their outcomes.
  void StartCatchUp();
  using CatchUpPhase = void (StreamParticipant::*)(CatchUpStep);
  // Runs `phase` of the participants from `next` on, then `then`, unless
  // the stream (`client`) ended meanwhile.
  void RunCatchUpPhase(CatchUpPhase phase, size_t next, const xmpp::Client* client, std::function<void()> then);
  void FinishCatchUp();
  // Answers the server's <r/> once this loop turn's writes are committed.
  void AckAfterCommit();
  // A write batch was rolled back: what the stream received in it is not
  // stored, so nothing more may be acked. Drops the connection without the
  // closing <a/> (the server keeps the stanzas, and the archive catch-up of
  // the next session fetches them) and holds reconnects until the store
  // takes writes again.
  void OnStoreFailure(const std::string& why);
  // Before a reconnect after OnStoreFailure: whether the store takes a
  // durable write again (and the space reserve could be restored).
  bool StoreWritableAgain();
  void OnClosed(const xmpp::ClientCloseInfo& info);
  // A server that does not send <credentials-expired/> refuses an expired
  // token as not-authorized: after these credentials once worked, that
  // refusal means the same thing.
  xmpp::ClientCloseInfo WithExpiredCredentials(xmpp::ClientCloseInfo info) const;
  void ScheduleReconnect();
  void DropClient();
  void EmitNetwork(tim::v1::NetworkStatus status, int code, std::string desc);
  void FinishLoginWaiters(const Status& status);
  static void OnReconnectTimer(uv_timer_t* timer);

  uv_loop_t* loop_;
  SessionOptions options_;
  events::EventBus& bus_;
  UserIds ids_;
  std::vector<StreamParticipant*> participants_;

  tim::v1::LoginStatus login_status_ = tim::v1::UNLOGINED;
  tim::v1::NetworkStatus network_ = tim::v1::NET_DISCONNECTED;
  std::string network_desc_;
  std::string user_jid_;   // bare JID of the login
  std::string password_;   // secret: never logged
  bool password_accepted_ = false;  // the server let password_ log in before
  std::vector<Done<tim::v1::LoginResponse>> login_waiters_;
  std::vector<Done<tim::v1::LogoutResponse>> logout_waiters_;
  std::function<void()> shutdown_done_;

  // The current connection. Replaced per attempt; a finished one is kept in
  // retired_ until the next attempt because it may still be on the stack.
  struct Connection {
    std::unique_ptr<xmpp::Client> client;
    std::unique_ptr<xmpp::FeatureRegistry> features;
    std::unique_ptr<xmpp::PingResponder> ping;
    std::unique_ptr<xmpp::DiscoResponder> disco;
    std::unique_ptr<xmpp::CapsManager> caps;
    std::unique_ptr<xmpp::CsiManager> csi;
    std::vector<std::unique_ptr<StreamModules>> participant_modules;  // destroyed before the client
  };
  std::unique_ptr<Connection> conn_;
  std::unique_ptr<Connection> retired_;
  store::Database& db_;
  store::Settings& settings_;
  PeerCaps peer_caps_;
  ServerFeatures server_features_;
  ClientActivity activity_;
  // The stream management session of the last connection, if the server
  // may still hold it: the next attempt resumes instead of binding afresh.
  std::optional<xmpp::ResumeState> resume_;
  bool discard_resume_ = false;  // the stream acked stanzas that were not stored
  store::SpaceReserve* reserve_;
  std::string store_failure_;   // why the store failed; empty while it works
  size_t rollback_hook_ = 0;
  LogThrottle store_failure_log_;
  std::vector<std::string> catch_up_outcomes_;
  uint32_t failed_attempts_ = 0;
  uint64_t online_since_ms_ = 0;
  uv_timer_t* reconnect_timer_;  // heap-owned: closes asynchronously
  std::mt19937_64 rng_{std::random_device{}()};
};

}  // namespace timd::domain
