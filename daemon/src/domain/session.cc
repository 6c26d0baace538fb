#include "domain/session.h"

#include <openssl/sha.h>
#include <spdlog/spdlog.h>

#include <fstream>

#include "common/clock.h"
#include "domain/stream_end.h"
#include "xmpp/presence.h"

namespace timd::domain {
namespace {

// timd's disco#info identity: client/pc rather than client/bot, because
// timd is the XMPP endpoint of chat apps whose users read and write the
// conversation; "bot" would tell peers that no person is there.
const xmpp::DiscoIdentity kIdentity{"client", "pc", "", "timd"};
// The XEP-0115 node: names the software whose features the caps hash covers.
constexpr char kCapsNode[] = "urn:x-timd:caps";

// A connection that stayed up this long resets the backoff.
constexpr uint64_t kStableConnectionMs = 60 * 1000;
// Input waiting beyond this (a full TLS record, some twenty chat messages)
// means the server is delivering a backlog rather than a trickle: the bus
// then groups its writes into fewer commits.
constexpr size_t kBacklogBytes = 16 * 1024;

// "timd-" + 8 hex digits of SHA-256(machine-id, account): fixed per
// installation and account, so a second daemon with the same account on the
// same machine replaces this one instead of silently sharing the login.
std::string DerivedResource(const std::string& account_jid) {
  std::string machine_id;
  std::ifstream("/etc/machine-id") >> machine_id;
  const std::string input = machine_id + "\n" + account_jid;
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(input.data()), input.size(), digest);
  char hex[9];
  std::snprintf(hex, sizeof hex, "%02x%02x%02x%02x", digest[0], digest[1], digest[2], digest[3]);
  return std::string("timd-") + hex;
}

}  // namespace

Session::Session(uv_loop_t* loop, SessionOptions options, store::Database& db, store::Settings& settings,
                 store::CapsStore& caps, events::EventBus& bus, store::SpaceReserve* reserve)
    : loop_(loop),
      options_(std::move(options)),
      bus_(bus),
      ids_(options_.domain),
      db_(db),
      settings_(settings),
      peer_caps_(caps, bus),
      activity_(loop, bus),
      reserve_(reserve),
      reconnect_timer_(new uv_timer_t) {
  uv_timer_init(loop, reconnect_timer_);
  reconnect_timer_->data = this;
  rollback_hook_ = bus_.AddRollbackHook([this](const std::string& why) { OnStoreFailure(why); });
  bus_.SetInputBacklogProbe([this] {
    return conn_ != nullptr && conn_->client->PendingInputBytes() >= kBacklogBytes;
  });
}

Session::~Session() {
  bus_.RemoveRollbackHook(rollback_hook_);
  bus_.SetInputBacklogProbe(nullptr);
  reconnect_timer_->data = nullptr;
  uv_close(reinterpret_cast<uv_handle_t*>(reconnect_timer_),
           [](uv_handle_t* h) { delete reinterpret_cast<uv_timer_t*>(h); });
  retired_.reset();
  conn_.reset();
}

void Session::Login(const tim::v1::LoginRequest& request, Done<tim::v1::LoginResponse> done) {
  auto jid = ids_.ToJid(request.user_id());
  if (!jid.ok()) return done(jid.status());
  if (request.user_sig().empty()) {
    return done(Status(Code::kInvalidArgument, tim_err::kInvalidParameters, "user_sig is empty"));
  }
  if (login_status_ != tim::v1::UNLOGINED) {
    if (jid.value() != user_jid_) {
      return done(Status(Code::kFailedPrecondition, tim_err::kLoginInProcess,
                         "timd is logged in as " + ids_.ToUserId(user_jid_) + "; log out first"));
    }
    if (login_status_ == tim::v1::LOGINED) {
      tim::v1::LoginResponse response;
      response.set_user_id(ids_.ToUserId(user_jid_));
      return done(std::move(response));
    }
    if (login_status_ == tim::v1::LOGOUTING) {
      return done(Status(Code::kFailedPrecondition, tim_err::kLogoutInProcess, "logout in progress"));
    }
    login_waiters_.push_back(std::move(done));  // same user, attempt running
    return;
  }
  if (user_jid_ != jid.value()) resume_.reset();
  user_jid_ = jid.value();
  password_ = request.user_sig();
  password_accepted_ = false;
  ids_.set_own_domain(user_jid_.substr(user_jid_.find('@') + 1));
  for (StreamParticipant* participant : participants_) participant->OnLogin(user_jid_);
  login_status_ = tim::v1::LOGINING;
  failed_attempts_ = 0;
  login_waiters_.push_back(std::move(done));
  spdlog::info("logging in as {}", user_jid_);
  StartAttempt();
}

void Session::StartAttempt() {
  retired_.reset();
  // A resume acknowledges every stanza the last stream handled: commit
  // them first (a failure discards the resume, see OnStoreFailure).
  bus_.Flush();
  if (!store_failure_.empty() && !StoreWritableAgain()) {
    // As after a transient network failure: the caller learns why, and
    // timd keeps trying.
    FinishLoginWaiters(Status(Code::kUnavailable, tim_err::kDatabaseFailure,
                              "the local store takes no writes (" + store_failure_ + "); retrying"));
    return ScheduleReconnect();
  }
  const auto at = user_jid_.find('@');
  xmpp::ClientOptions opts;
  opts.transport = options_.transport;
  opts.domain = user_jid_.substr(at + 1);
  if (opts.transport.host.empty() && opts.transport.port != 0) opts.transport.host = opts.domain;
  if (opts.transport.port == 0) opts.transport.port = 5222;
  opts.dns_servers = options_.dns_servers;
  std::string connecting = opts.transport.host.empty()
                               ? "looking up the XMPP server of " + opts.domain + " (DNS SRV)"
                               : "connecting to " + opts.transport.host;
  if (opts.transport.tls_server_name.empty()) opts.transport.tls_server_name = opts.domain;
  opts.username = user_jid_.substr(0, at);
  opts.password = password_;
  opts.resource = options_.resource.empty() ? DerivedResource(user_jid_) : options_.resource;
  opts.ping_interval_ms = options_.ping_interval_ms;
  opts.ping_timeout_ms = options_.ping_timeout_ms;
  opts.resume = resume_;

  auto conn = std::make_unique<Connection>();
  xmpp::Client::Callbacks callbacks;
  callbacks.on_online = [this](const xmpp::Jid& jid) { OnOnline(jid); };
  callbacks.on_resumed = [this](const xmpp::Jid& jid) { OnResumed(jid); };
  callbacks.on_resume_failed = [this](const std::string& condition) {
    spdlog::info("stream resumption refused ({}): binding a fresh session", condition);
    resume_.reset();
  };
  callbacks.on_closed = [this](const xmpp::ClientCloseInfo& info) { OnClosed(info); };
  callbacks.on_endpoint = [this](const xmpp::Endpoint& endpoint) {
    EmitNetwork(tim::v1::NET_CONNECTING, tim_err::kSucc, "connecting to " + endpoint.Describe());
  };
  callbacks.on_endpoint_failed = [this](const xmpp::Endpoint& endpoint, const std::string& why) {
    EmitNetwork(tim::v1::NET_CONNECTING, tim_err::kNetDisconnect,
                endpoint.Describe() + " failed: " + why + "; trying the next server");
  };
  callbacks.on_acked = [this](uint64_t handled) {
    for (StreamParticipant* participant : participants_) participant->OnAcked(handled);
  };
  // Ack the server only for what is committed: a stanza it forgets after
  // our ack can no longer be lost here. One ack per commit also replaces
  // an ack round trip per message during a burst.
  callbacks.on_ack_requested = [this] { AckAfterCommit(); };
  conn->client = std::make_unique<xmpp::Client>(loop_, std::move(opts), std::move(callbacks));
  AddModules(*conn);
  conn_ = std::move(conn);

  EmitNetwork(tim::v1::NET_CONNECTING, tim_err::kSucc, std::move(connecting));
  conn_->client->Connect();
}

void Session::AddModules(Connection& conn) {
  xmpp::Client& client = *conn.client;
  conn.features = std::make_unique<xmpp::FeatureRegistry>(kIdentity);
  conn.ping = std::make_unique<xmpp::PingResponder>(client);
  conn.disco = std::make_unique<xmpp::DiscoResponder>(client, *conn.features, kCapsNode);
  conn.caps = std::make_unique<xmpp::CapsManager>(client, peer_caps_);
  conn.csi = std::make_unique<xmpp::CsiManager>(client);
  for (xmpp::StanzaHandler* module :
       std::initializer_list<xmpp::StanzaHandler*>{conn.ping.get(), conn.disco.get(), conn.caps.get()}) {
    conn.features->Register(client, *module);
  }
  for (StreamParticipant* participant : participants_) {
    conn.participant_modules.push_back(participant->OnStreamCreated(client, *conn.features));
  }
}

std::vector<xmpp::Element> Session::PresencePayload() const {
  return {xmpp::CapsElement(*conn_->features, kCapsNode)};
}

void Session::AckAfterCommit() {
  bus_.AfterCommit([this, client = conn_->client.get()](bool committed) {
    if (!conn_ || conn_->client.get() != client) return;  // that stream is gone
    if (committed) client->Ack();  // else OnStoreFailure has dropped it
  });
}

void Session::OnStoreFailure(const std::string& why) {
  store_failure_ = why;
  // Room for the events that report this, should the disk be full.
  if (reserve_) reserve_->Release();
  // A stream to resume may count stanzas the lost batch held: it may not
  // be resumed.
  resume_.reset();
  if (!conn_ || conn_->client->state() == xmpp::ClientState::kDisconnected) return;
  if (auto note = store_failure_log_.Admit()) {
    spdlog::error("the local store failed ({}): disconnecting without acknowledging what was received, which the "
                  "server keeps; reconnecting once the store takes writes again{}",
                  why, *note);
  }
  // The stream's handled count now covers stanzas that were never stored,
  // so it must not be resumed: a fresh session pulls them from the archive
  // (the cursor rolled back with them).
  discard_resume_ = true;
  conn_->client->DropConnection("local store failure");
}

bool Session::StoreWritableAgain() {
  db_.ReclaimWalSpace();
  // As much again free besides the reserve: else the writes after
  // reconnecting would soon fill the disk again, only to fail once more.
  if (reserve_ && !reserve_->Restore(/*headroom=*/reserve_->bytes())) {
    if (auto note = store_failure_log_.Admit()) {
      spdlog::error("the local store is still out of disk space: not reconnecting yet{}", *note);
    }
    return false;
  }
  try {
    settings_.Set("store_probe", std::to_string(NowMs()));
  } catch (const store::StoreError& e) {
    bus_.AbortBatch(std::string("store probe: ") + e.what());
    return false;
  }
  if (!bus_.Flush()) return false;
  spdlog::info("the local store takes writes again: reconnecting to fetch what was missed");
  store_failure_.clear();
  return true;
}

void Session::OnOnline(const xmpp::Jid& jid) {
  spdlog::info("online as {}", jid.Full());
  online_since_ms_ = static_cast<uint64_t>(NowMs());
  login_status_ = tim::v1::LOGINED;
  password_accepted_ = true;
  EmitNetwork(tim::v1::NET_CONNECTED, tim_err::kSucc, "connected as " + jid.Full() + "; catching up");
  FinishLoginWaiters(Status::Ok());
  for (StreamParticipant* participant : participants_) participant->OnBound();
  peer_caps_.ForgetPeers();
  server_features_.Discover(*conn_->client, user_jid_);
  activity_.Attach(*conn_->csi);
  StartCatchUp();
}

void Session::OnResumed(const xmpp::Jid& jid) {
  spdlog::info("stream resumed as {}: nothing to catch up", jid.Full());
  online_since_ms_ = static_cast<uint64_t>(NowMs());
  login_status_ = tim::v1::LOGINED;
  EmitNetwork(tim::v1::NET_CONNECTED, tim_err::kSucc, "resumed session as " + jid.Full());
  FinishLoginWaiters(Status::Ok());
  for (StreamParticipant* participant : participants_) participant->OnCaughtUp();
  server_features_.OnResumed(*conn_->client);
  activity_.Attach(*conn_->csi);
}

void Session::StartCatchUp() {
  tim::v1::Event start;
  start.mutable_conv_event()->set_type(tim::v1::CONV_EVENT_START);
  bus_.Publish(std::move(start));
  catch_up_outcomes_.clear();
  const xmpp::Client* client = conn_->client.get();
  RunCatchUpPhase(&StreamParticipant::CatchUpBeforePresence, 0, client, [this, client] {
    xmpp::SendInitialPresence(*conn_->client, PresencePayload());
    RunCatchUpPhase(&StreamParticipant::CatchUpAfterPresence, 0, client, [this] { FinishCatchUp(); });
  });
}

void Session::RunCatchUpPhase(CatchUpPhase phase, size_t next, const xmpp::Client* client,
                              std::function<void()> then) {
  if (!conn_ || conn_->client.get() != client) return;  // that stream is gone
  if (next == participants_.size()) return then();
  CatchUpStep step;
  step.progress = [this](const std::string& progress) { network_desc_ = "connected; " + progress; };
  step.done = [this, phase, next, client, then = std::move(then)](const std::string& outcome) {
    if (!outcome.empty()) catch_up_outcomes_.push_back(outcome);
    RunCatchUpPhase(phase, next + 1, client, then);
  };
  (participants_[next]->*phase)(std::move(step));
}

void Session::FinishCatchUp() {
  std::string outcome;
  for (const std::string& part : catch_up_outcomes_) outcome += (outcome.empty() ? "" : "; ") + part;
  if (outcome.empty()) outcome = "caught up";
  spdlog::info("{}", outcome);
  // The app learns that the picture is complete (and how it went).
  EmitNetwork(tim::v1::NET_CONNECTED, tim_err::kSucc, "connected; " + outcome);
  tim::v1::Event finish;
  finish.mutable_conv_event()->set_type(tim::v1::CONV_EVENT_FINISH);
  bus_.Publish(std::move(finish));
  for (StreamParticipant* participant : participants_) participant->OnCaughtUp();
}

xmpp::ClientCloseInfo Session::WithExpiredCredentials(xmpp::ClientCloseInfo info) const {
  if (info.error == xmpp::ClientError::kAuthNotAuthorized && password_accepted_) {
    info.error = xmpp::ClientError::kAuthCredentialsExpired;
    info.detail = "credentials that worked before were refused (" + info.detail + ")";
  }
  return info;
}

void Session::OnClosed(const xmpp::ClientCloseInfo& closed) {
  const xmpp::ClientCloseInfo info = WithExpiredCredentials(closed);
  const bool was_online = network_ == tim::v1::NET_CONNECTED;
  Status status = StatusOf(info);
  resume_ = conn_->client->resume_state();
  if (std::exchange(discard_resume_, false)) resume_.reset();
  activity_.Detach();
  retired_ = std::move(conn_);
  for (StreamParticipant* participant : participants_) participant->OnStreamLost();

  if (info.error == xmpp::ClientError::kNone || login_status_ == tim::v1::LOGOUTING) {
    for (StreamParticipant* participant : participants_) {
      participant->OnLoginEnded(Status(Code::kAborted, tim_err::kNotLoggedIn, "logged out"));
    }
    resume_.reset();
    login_status_ = tim::v1::UNLOGINED;
    password_.clear();
    EmitNetwork(tim::v1::NET_DISCONNECTED, tim_err::kSucc, "logged out");
    FinishLoginWaiters(Status(Code::kAborted, tim_err::kNotLoggedIn, "logged out"));
    for (auto& done : std::exchange(logout_waiters_, {})) done(tim::v1::LogoutResponse{});
    if (shutdown_done_) std::exchange(shutdown_done_, nullptr)();
    return;
  }

  if (!store_failure_.empty()) {
    status = Status(Code::kUnavailable, tim_err::kDatabaseFailure,
                    "the local store failed (" + store_failure_ +
                        "): disconnected so the server keeps incoming messages; retrying");
  }
  spdlog::warn("XMPP connection ended: {}", status.message());
  if (info.error == xmpp::ClientError::kConflict) {
    tim::v1::Event event;
    event.mutable_kicked_offline();
    bus_.Publish(std::move(event));
  }
  if (info.error == xmpp::ClientError::kAuthCredentialsExpired) {
    tim::v1::Event event;
    event.mutable_user_sig_expired();
    bus_.Publish(std::move(event));
  }
  EmitNetwork(was_online ? tim::v1::NET_DISCONNECTED : tim::v1::NET_CONNECT_FAILED, status.tim_code(),
              status.message());
  FinishLoginWaiters(status);

  if (IsPermanent(info.error)) {
    // Retrying cannot help (and a kick would turn into a kick war): wait
    // for the next Login.
    for (StreamParticipant* participant : participants_) participant->OnLoginEnded(status);
    resume_.reset();
    login_status_ = tim::v1::UNLOGINED;
    password_.clear();
    return;
  }
  if (was_online && static_cast<uint64_t>(NowMs()) - online_since_ms_ >= kStableConnectionMs) {
    failed_attempts_ = 0;
  }
  login_status_ = tim::v1::LOGINING;
  ScheduleReconnect();
}

void Session::ScheduleReconnect() {
  const uint32_t exponent = std::min<uint32_t>(failed_attempts_, 20);
  const uint64_t ceiling = std::min<uint64_t>(options_.backoff_cap_ms, options_.backoff_base_ms << exponent);
  ++failed_attempts_;
  // Full jitter spreads the reconnects of many daemons after a server restart.
  const uint64_t delay = std::uniform_int_distribution<uint64_t>(0, ceiling)(rng_);
  spdlog::info("reconnecting in {} ms (attempt {})", delay, failed_attempts_);
  uv_timer_start(reconnect_timer_, &Session::OnReconnectTimer, delay, 0);
}

void Session::OnNetworkChange(const std::string& what) {
  if (login_status_ == tim::v1::LOGINING && !conn_) {
    spdlog::info("network changed ({}): reconnecting now", what);
    uv_timer_stop(reconnect_timer_);
    failed_attempts_ = 0;  // a new network: start the backoff over
    StartAttempt();
  } else if (conn_ && conn_->client->state() == xmpp::ClientState::kOnline) {
    spdlog::info("network changed ({}): checking the connection", what);
    conn_->client->CheckLiveness();
  }
}

void Session::OnReconnectTimer(uv_timer_t* timer) {
  auto* self = static_cast<Session*>(timer->data);
  if (self && self->login_status_ == tim::v1::LOGINING && !self->conn_) self->StartAttempt();
}

void Session::Logout(Done<tim::v1::LogoutResponse> done) {
  if (login_status_ == tim::v1::UNLOGINED) return done(tim::v1::LogoutResponse{});
  uv_timer_stop(reconnect_timer_);
  login_status_ = tim::v1::LOGOUTING;
  if (!conn_) {
    login_status_ = tim::v1::UNLOGINED;
    password_.clear();
    EmitNetwork(tim::v1::NET_DISCONNECTED, tim_err::kSucc, "logged out");
    FinishLoginWaiters(Status(Code::kAborted, tim_err::kNotLoggedIn, "logged out"));
    return done(tim::v1::LogoutResponse{});
  }
  logout_waiters_.push_back(std::move(done));
  bus_.Flush();  // the close acks every stanza received: make them durable first
  if (conn_->client->state() == xmpp::ClientState::kOnline) {
    xmpp::SendUnavailablePresence(*conn_->client, PresencePayload());
  }
  conn_->client->Disconnect();
}

void Session::Shutdown(std::function<void()> done) {
  if (login_status_ == tim::v1::UNLOGINED || !conn_) {
    uv_timer_stop(reconnect_timer_);
    return done();
  }
  shutdown_done_ = std::move(done);
  Logout([](Result<tim::v1::LogoutResponse>) {});
}

tim::v1::GetLoginStatusResponse Session::GetLoginStatus() {
  tim::v1::GetLoginStatusResponse response;
  response.set_status(login_status_);
  if (login_status_ != tim::v1::UNLOGINED) response.set_user_id(ids_.ToUserId(user_jid_));
  response.set_network(network_);
  response.set_network_desc(network_desc_);
  if (login_status_ == tim::v1::LOGINED) {
    for (const std::string& feature : server_features_.List()) response.add_server_features(feature);
  }
  if (login_status_ == tim::v1::LOGINED && conn_ && conn_->client->state() == xmpp::ClientState::kOnline) {
    const xmpp::Endpoint& in_use = conn_->client->endpoint();
    auto* endpoint = response.mutable_endpoint();
    endpoint->set_target(in_use.target);
    endpoint->set_address(in_use.address);
    endpoint->set_port(in_use.port);
    endpoint->set_direct_tls(in_use.direct_tls);
    endpoint->set_from_srv(in_use.from_srv);
  }
  return response;
}

void Session::EmitNetwork(tim::v1::NetworkStatus status, int code, std::string desc) {
  network_ = status;
  network_desc_ = desc;
  tim::v1::Event event;
  auto* ns = event.mutable_network_status();
  ns->set_status(status);
  ns->set_code(code);
  ns->set_desc(std::move(desc));
  bus_.Publish(std::move(event));
}

void Session::FinishLoginWaiters(const Status& status) {
  for (auto& done : std::exchange(login_waiters_, {})) {
    if (status.ok()) {
      tim::v1::LoginResponse response;
      response.set_user_id(ids_.ToUserId(user_jid_));
      done(std::move(response));
    } else {
      done(status);
    }
  }
}

}  // namespace timd::domain
