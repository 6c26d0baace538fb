#include "daemon.h"

#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <uv.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>

#include "api/api_server.h"
#include "api/api_token.h"
#include "common/loop_queue.h"
#include "common/network_monitor.h"
#include "domain/log_events.h"
#include "domain/conversation_service.h"
#include "domain/message_service.h"
#include "domain/services.h"
#include "domain/session.h"
#include "events/consumer_cursors.h"
#include "events/event_bus.h"
#include "service/systemd_notifier.h"
#include "store/caps_store.h"
#include "store/database.h"
#include "store/message_store.h"
#include "store/settings.h"
#include "store/space_reserve.h"

namespace timd {
namespace {

// How long a polite logout may take before shutdown goes on without it.
constexpr uint64_t kShutdownGraceMs = 3000;

Status EnsureStateDir(const std::string& dir) {
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
    return Status(Code::kInternal, tim_err::kIoOperationFailed,
                  "cannot create state directory " + dir + ": " + std::strerror(errno));
  }
  return Status::Ok();
}

Result<std::string> ReadSecretFile(const std::string& path) {
  std::ifstream in(path);
  std::string secret;
  if (!in || !std::getline(in, secret) || secret.empty()) {
    return Status(Code::kInvalidArgument, tim_err::kInvalidParameters,
                  "cannot read a password from " + path);
  }
  return secret;
}

class Daemon {
 public:
  explicit Daemon(const Config& config) : config_(config) { uv_loop_init(&loop_); }
  ~Daemon() { uv_loop_close(&loop_); }

  int Run();

 private:
  void StartSignals();
  void BeginShutdown(int signum);
  void FinishShutdown();

  const Config& config_;
  uv_loop_t loop_;
  uv_signal_t sigint_{};
  uv_signal_t sigterm_{};
  uv_timer_t grace_timer_{};
  bool shutting_down_ = false;
  bool finished_ = false;

  std::unique_ptr<store::Database> db_;
  std::unique_ptr<store::SpaceReserve> reserve_;  // see Session
  std::unique_ptr<LoopQueue> queue_;
  std::unique_ptr<events::EventBus> bus_;
  std::unique_ptr<store::MessageStore> messages_;
  std::unique_ptr<store::Settings> settings_;
  std::unique_ptr<store::CapsStore> caps_;
  std::unique_ptr<events::ConsumerCursors> consumers_;
  std::unique_ptr<domain::Session> session_;
  std::unique_ptr<domain::MessageService> message_service_;
  std::unique_ptr<domain::ConversationService> conversation_service_;
  std::unique_ptr<NetworkMonitor> network_monitor_;
  std::shared_ptr<domain::LogEventSink> log_sink_;
  std::unique_ptr<api::ApiServer> api_;
  std::unique_ptr<service::SystemdNotifier> notifier_;
};

int Daemon::Run() {
  if (Status s = EnsureStateDir(config_.state_dir); !s.ok()) {
    spdlog::critical("{}", s.message());
    return 1;
  }
  auto db = store::Database::Open(config_.state_dir + "/timd.db");
  if (!db.ok()) {
    spdlog::critical("{}", db.status().message());
    return 1;
  }
  db_ = std::move(db).value();
  auto reserve = store::SpaceReserve::Open(config_.state_dir + "/timd.db.reserve");
  if (!reserve.ok()) {
    spdlog::critical("{}", reserve.status().message());
    return 1;
  }
  reserve_ = std::make_unique<store::SpaceReserve>(std::move(reserve).value());
  queue_ = std::make_unique<LoopQueue>(&loop_);
  auto post = [q = queue_.get()](std::function<void()> task) { return q->Post(std::move(task)); };
  events::EventBus::Options bus_options;
  bus_options.journal_retention = config_.journal_retention;
  bus_options.min_commit_interval_ms = config_.commit_interval_ms;
  bus_options.backlog_commit_interval_ms = config_.backlog_commit_interval_ms;
  bus_ = std::make_unique<events::EventBus>(&loop_, *db_, post, bus_options);
  messages_ = std::make_unique<store::MessageStore>(*db_);
  settings_ = std::make_unique<store::Settings>(*db_);
  caps_ = std::make_unique<store::CapsStore>(*db_);

  domain::SessionOptions session_options;
  session_options.domain = config_.domain;
  session_options.transport.host = config_.host;
  session_options.transport.port = config_.port;
  session_options.transport.direct_tls = config_.direct_tls;
  session_options.dns_servers = config_.dns_servers;
  session_options.transport.ca_file = config_.ca_file;
  session_options.transport.verify_peer = !config_.insecure_skip_verify;
  session_options.resource = config_.resource;
  session_options.ping_interval_ms = config_.ping_interval_s * 1000;
  session_options.ping_timeout_ms = config_.ping_timeout_s * 1000;
  session_options.backoff_base_ms = config_.reconnect_base_ms;
  session_options.backoff_cap_ms = config_.reconnect_cap_ms;
  session_ = std::make_unique<domain::Session>(&loop_, session_options, *db_, *settings_, *caps_, *bus_,
                                               reserve_.get());
  domain::MessageService::Options message_options;
  message_options.messaging.send_ack_timeout_ms = config_.send_timeout_s * 1000;
  message_options.messaging.outbox_expiry_ms = config_.outbox_expiry_s * 1000;
  message_options.revoke_time_limit_ms = config_.revoke_time_limit_s * 1000;
  message_options.transfers.extra_ca_file = config_.ca_file;  // a private server's uploads use its CA too
  message_service_ =
      std::make_unique<domain::MessageService>(&loop_, *messages_, *settings_, *bus_, *session_, message_options);
  session_->AddParticipant(*message_service_);
  conversation_service_ =
      std::make_unique<domain::ConversationService>(*messages_, *bus_, *session_, message_service_->read_state());
  consumers_ = std::make_unique<events::ConsumerCursors>(*settings_, *bus_);

  if (config_.watch_network) {
    network_monitor_ = std::make_unique<NetworkMonitor>(
        &loop_, [this](const std::string& what) { session_->OnNetworkChange(what); });
    network_monitor_->Start();
  }

  log_sink_ = std::make_shared<domain::LogEventSink>(*bus_, post);
  log_sink_->set_level(spdlog::level::from_str(config_.event_log_level));
  spdlog::default_logger()->sinks().push_back(log_sink_);

  api::ApiOptions api_options;
  api_options.socket_path = config_.socket_path;
  api_options.tcp_listen = config_.tcp_listen;
  api_options.allow_uids = config_.allow_uids;
  api_options.allow_gids = config_.allow_gids;
  api_options.tls_cert_file = config_.api_tls_cert;
  api_options.tls_key_file = config_.api_tls_key;
  api_options.limits.max_receive_message_bytes = static_cast<int>(config_.api_max_message_bytes);
  api_options.limits.max_streams_per_connection = static_cast<int>(config_.api_max_streams_per_connection);
  api_options.limits.max_subscribers_per_caller = config_.api_max_subscribers_per_caller;
  api_options.limits.max_calls_per_caller = config_.api_max_calls_per_caller;
  api_options.limits.memory_quota_bytes = size_t{config_.api_memory_limit_mb} << 20;
  api_options.limits.max_threads = static_cast<int>(config_.api_max_threads);
  if (!config_.tcp_listen.empty()) {
    auto token = api::LoadOrCreateApiToken(config_.state_dir + "/" + api::kApiTokenFileName);
    if (!token.ok()) {
      spdlog::critical("cannot serve the API on TCP: {}", token.status().message());
      FinishShutdown();
      uv_run(&loop_, UV_RUN_DEFAULT);
      return 1;
    }
    api_options.tcp_token = std::move(token).value();
  }
  const domain::Services services{*session_, *message_service_, *conversation_service_, *bus_, *consumers_};
  api_ = std::make_unique<api::ApiServer>(&loop_, *queue_, services, api_options);
  if (Status s = api_->Start(); !s.ok()) {
    spdlog::critical("cannot serve the API: {}", s.message());
    FinishShutdown();
    uv_run(&loop_, UV_RUN_DEFAULT);
    return 1;
  }
  StartSignals();
  spdlog::info("timd serving the API on {}", config_.socket_path);
  // The store is open, the socket served and SIGTERM handled: ready.
  notifier_ = std::make_unique<service::SystemdNotifier>(&loop_, *session_, *bus_);
  notifier_->Ready();

  if (!config_.user.empty()) {
    auto password = ReadSecretFile(config_.password_file);
    if (!password.ok()) {
      spdlog::error("auto-login skipped: {}", password.status().message());
    } else {
      tim::v1::LoginRequest request;
      request.set_user_id(config_.user);
      request.set_user_sig(password.value());
      session_->Login(request, [](Result<tim::v1::LoginResponse> result) {
        if (result.ok()) {
          spdlog::info("logged in as {}", result.value().user_id());
        } else {
          spdlog::error("login failed: {}", result.status().message());
        }
      });
    }
  }

  uv_run(&loop_, UV_RUN_DEFAULT);
  spdlog::info("timd stopped");
  return 0;
}

void Daemon::StartSignals() {
  uv_signal_init(&loop_, &sigint_);
  uv_signal_init(&loop_, &sigterm_);
  sigint_.data = sigterm_.data = this;
  auto on_signal = [](uv_signal_t* handle, int signum) { static_cast<Daemon*>(handle->data)->BeginShutdown(signum); };
  uv_signal_start(&sigint_, on_signal, SIGINT);
  uv_signal_start(&sigterm_, on_signal, SIGTERM);
  // main() blocked these for gRPC's threads; the loop thread takes them.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_UNBLOCK, &set, nullptr);
}

void Daemon::BeginShutdown(int signum) {
  if (shutting_down_) return;
  shutting_down_ = true;
  spdlog::info("{} received: shutting down", signum == SIGINT ? "SIGINT" : "SIGTERM");
  notifier_->Stopping();
  uv_signal_stop(&sigint_);
  uv_signal_stop(&sigterm_);
  uv_timer_init(&loop_, &grace_timer_);
  grace_timer_.data = this;
  uv_timer_start(&grace_timer_, [](uv_timer_t* t) { static_cast<Daemon*>(t->data)->FinishShutdown(); },
                 kShutdownGraceMs, 0);
  // Deferred: the callback runs inside the session, which FinishShutdown frees.
  session_->Shutdown([this] { queue_->Post([this] { FinishShutdown(); }); });
}

// Ends API calls, flushes the store and closes every handle so uv_run returns.
void Daemon::FinishShutdown() {
  if (finished_) return;
  finished_ = true;
  if (shutting_down_) uv_close(reinterpret_cast<uv_handle_t*>(&grace_timer_), nullptr);
  if (api_) api_->Shutdown();
  log_sink_->Detach();
  bus_->Flush();
  if (uv_is_active(reinterpret_cast<uv_handle_t*>(&sigint_)) || shutting_down_) {
    uv_close(reinterpret_cast<uv_handle_t*>(&sigint_), nullptr);
    uv_close(reinterpret_cast<uv_handle_t*>(&sigterm_), nullptr);
  }
  api_.reset();
  notifier_.reset();
  network_monitor_.reset();
  session_.reset();
  conversation_service_.reset();
  message_service_.reset();
  consumers_.reset();
  queue_->Close();
  bus_.reset();
  settings_.reset();
  messages_.reset();
  db_.reset();
}

}  // namespace

int RunDaemon(const Config& config) {
  Daemon daemon(config);
  return daemon.Run();
}

}  // namespace timd
