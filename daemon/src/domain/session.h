// The daemon's login: owns the XMPP client for the current connection, runs
// the login state machine (TIM's Logined / Logining / UnLogined /
// Logouting), reconnects with capped exponential backoff and full jitter
// after transient failures, never retries permanent ones (bad credentials,
// expired token, certificate refused, kicked by another login), and reports
// every transition as a NetworkStatus event. It is the domain's Backend.
#pragma once

#include <uv.h>

#include <memory>
#include <random>
#include <string>
#include <vector>

#include "common/log_throttle.h"
#include "domain/backend.h"
#include "domain/client_activity.h"
#include "domain/messaging.h"
#include "domain/peer_caps.h"
#include "domain/server_features.h"
#include "domain/user_ids.h"
#include "events/consumer_cursors.h"
#include "store/settings.h"
#include "store/space_reserve.h"
#include "xmpp/caps.h"
#include "xmpp/carbons.h"
#include "xmpp/chat.h"
#include "xmpp/client.h"
#include "xmpp/csi.h"
#include "xmpp/disco.h"
#include "xmpp/feature_registry.h"
#include "xmpp/mam.h"
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
  uint32_t mam_page_size = 100;
  Messaging::Options messaging;
};

class Session : public Backend {
 public:
  // `reserve` (may be null) is released when the store fails, so the events
  // saying so still fit on a full disk, and restored before reconnecting.
  Session(uv_loop_t* loop, SessionOptions options, store::MessageStore& store, store::Settings& settings,
          store::CapsStore& caps, events::EventBus& bus, store::SpaceReserve* reserve = nullptr);
  ~Session() override;

  // Backend
  void Login(const tim::v1::LoginRequest& request, Done<tim::v1::LoginResponse> done) override;
  void Logout(Done<tim::v1::LogoutResponse> done) override;
  tim::v1::GetLoginStatusResponse GetLoginStatus() override;
  void SendMessage(const tim::v1::SendMessageRequest& request, Done<tim::v1::SendMessageResponse> done) override;
  Result<tim::v1::GetMessagesResponse> GetMessages(const tim::v1::GetMessagesRequest& request) override;
  Result<tim::v1::ListConversationsResponse> ListConversations(
      const tim::v1::ListConversationsRequest& request) override;
  events::EventBus& bus() override { return bus_; }
  events::ConsumerCursors& consumers() override { return consumers_; }

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
  // After a fresh bind: pull what the archive holds after the last synced
  // message, then send presence (Prosody then skips offline storage).
  void StartCatchUp();
  // One pass through the archive after `cursor` to its end, moving the
  // cursor per page; `done(pulled, outcome)` unless the stream ended first.
  // `start_ms` (Unix ms, 0 = none) limits the pass to messages archived
  // since then.
  void PullArchive(const std::string& cursor, std::function<void(bool pulled, const std::string& outcome)> done,
                   int64_t start_ms = 0);
  // The server no longer knows `expired_cursor`: says so, then pulls what
  // was archived since shortly before the newest stored message.
  void RestartArchiveByTime(const std::string& expired_cursor, std::function<void(bool, const std::string&)> done);
  std::optional<std::string> ReadCursor();
  void FinishCatchUp(const std::string& outcome);
  void OnChat(const xmpp::IncomingChat& chat);
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
  void SaveLiveCursor();  // pre-commit hook
  std::string CursorKey() const { return "mam_cursor:" + user_jid_; }
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
  events::ConsumerCursors consumers_;
  UserIds ids_;
  Messaging messaging_;

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
    std::unique_ptr<xmpp::ChatManager> chat;
    std::unique_ptr<xmpp::PingResponder> ping;
    std::unique_ptr<xmpp::MamManager> mam;
    std::unique_ptr<xmpp::CarbonsManager> carbons;
    std::unique_ptr<xmpp::DiscoResponder> disco;
    std::unique_ptr<xmpp::CapsManager> caps;
    std::unique_ptr<xmpp::CsiManager> csi;
  };
  std::unique_ptr<Connection> conn_;
  std::unique_ptr<Connection> retired_;
  store::MessageStore& store_;
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
  bool caught_up_ = false;      // live messages may advance the archive cursor
  uint64_t catch_up_count_ = 0;
  std::string live_cursor_;  // newest live archive id, saved at the next commit
  size_t pre_commit_hook_ = 0;
  uint32_t failed_attempts_ = 0;
  uint64_t online_since_ms_ = 0;
  uv_timer_t* reconnect_timer_;  // heap-owned: closes asynchronously
  std::mt19937_64 rng_{std::random_device{}()};
};

}  // namespace timd::domain
