#include "context.h"

#include <grpcpp/grpcpp.h>

#include <map>
#include <utility>
#include <vector>

#include "listeners.h"

namespace timclient {
namespace {


constexpr auto kLoginTimeout = std::chrono::seconds(60);
constexpr auto kShortTimeout = std::chrono::seconds(10);
constexpr auto kFinalAckTimeout = std::chrono::seconds(2);

std::shared_ptr<grpc::Channel> NewChannel(const std::string& socket_path) {
  grpc::ChannelArguments args;
  // Find a restarted timd quickly; the subscriber adds its own backoff.
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
  args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, 100);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 2000);
  return grpc::CreateCustomChannel("unix:" + socket_path, grpc::InsecureChannelCredentials(), args);
}

// Channels live for the whole process, one per socket path: gRPC 1.51 can
// double-free in its callback completion queue when a channel that made
// callback calls is destroyed and the process exits soon after (seen under
// ASan after TIMInit/TIMUninit cycles). Reusing the channel is also cheaper.
std::shared_ptr<timd::ApiStubs> MakeStubs(const std::string& socket_path) {
  static std::mutex mu;
  static auto* channels = new std::map<std::string, std::shared_ptr<grpc::Channel>>;  // never freed
  std::lock_guard lock(mu);
  auto& channel = (*channels)[socket_path];
  if (!channel) channel = NewChannel(socket_path);
  return std::make_shared<timd::ApiStubs>(channel);
}

}  // namespace

Context::Context(ContextConfig config)
    : config_(std::move(config)),
      stubs_(MakeStubs(config_.socket_path)),
      budget_(std::make_shared<EventBudget>(config_.queue_limits)) {}

Context::~Context() { Shutdown(); }

void Context::Shutdown() {
  pending_.CloseAndWait();
  const bool was_attached = Detach(false);
  queue_.Stop();
  const uint64_t delivered = delivered_seq_->load();
  if (was_attached && delivered > 0) Acker::AckNow(*stubs_->events, config_.consumer, delivered, kFinalAckTimeout);
}

void Context::PostResult(TIMCommCallback cb, const void* user_data, int32_t code, std::string desc,
                         std::string json) {
  if (!cb) return;
  queue_.Post([cb, user_data, code, desc = std::move(desc), json = std::move(json)] {
    cb(code, desc.c_str(), json.c_str(), user_data);
  });
}

int Context::Login(const std::string& user_id, const std::string& user_sig, TIMCommCallback cb,
                   const void* user_data) {
  tim::v1::LoginRequest request;
  request.set_user_id(user_id);
  request.set_user_sig(user_sig);
  {
    std::lock_guard lock(mu_);
    ++logins_in_flight_;
  }
  const bool started = Call(stubs_->session->async(), &SessionAsync::Login, std::move(request), kLoginTimeout,
                            [this, cb, user_data](const TimError& error, tim::v1::LoginResponse& response) {
                              // State first, so the app's callback already
                              // sees itself logged in; the result before the
                              // subscription, so its events come after it.
                              FinishLogin(error.code == 0 ? &response.user_id() : nullptr);
                              PostResult(cb, user_data, error.code, error.desc, "");
                              if (error.code == 0) StartSubscriber();
                            });
  if (!started) {
    std::lock_guard lock(mu_);
    --logins_in_flight_;
    return TIM_ERR_SDKUNINIT;
  }
  return TIM_SUCC;
}

void Context::FinishLogin(const std::string* user_id) {
  std::lock_guard lock(mu_);
  --logins_in_flight_;
  if (!user_id) return;
  user_id_ = *user_id;
  attached_ = true;
}

void Context::StartSubscriber() {
  std::lock_guard lock(mu_);
  // Already attached (same identity), or logged out in the meantime.
  if (subscriber_ || !attached_) return;
  acker_ = std::make_unique<Acker>(stubs_, config_.consumer, delivered_seq_);
  Subscriber::Options options;
  options.consumer = config_.consumer;
  options.socket_path = config_.socket_path;
  options.filter = [this](tim::v1::SubscribeRequest* request) { FillFilter(request); };
  options.delivered_seq = delivered_seq_;
  options.budget = budget_;
  subscriber_ = std::make_unique<Subscriber>(stubs_, queue_, std::move(options));
}

bool Context::Detach(bool logging_out) {
  std::unique_ptr<Subscriber> subscriber;
  std::unique_ptr<Acker> acker;
  bool was_attached;
  {
    std::lock_guard lock(mu_);
    subscriber = std::move(subscriber_);
    acker = std::move(acker_);
    was_attached = attached_;
    attached_ = false;
    user_id_.clear();
    if (logging_out) ++logouts_in_flight_;
  }
  subscriber.reset();  // no event is queued after this
  acker.reset();
  return was_attached;
}

int Context::Logout(uint32_t flags, TIMCommCallback cb, const void* user_data) {
  const bool was_attached = Detach(true);
  // After the events already queued have been delivered: record the app's
  // progress, then (with the flag) log timd out, then report.
  queue_.Post([self = shared_from_this(), was_attached, flags, cb, user_data] {
    const uint64_t delivered = self->delivered_seq_->load();
    if (!was_attached || delivered == 0) return self->FinishLogout(flags, cb, user_data);
    tim::v1::AckEventsRequest ack;
    ack.set_consumer(self->config_.consumer);
    ack.set_seq(delivered);
    const bool started = self->Call(self->stubs_->events->async(), &EventsAsync::AckEvents, std::move(ack), kFinalAckTimeout,
                                    [self, flags, cb, user_data](const TimError&, tim::v1::AckEventsResponse&) {
                                      self->FinishLogout(flags, cb, user_data);
                                    });
    if (!started) self->FinishLogout(flags, cb, user_data);
  });
  return TIM_SUCC;
}

void Context::FinishLogout(uint32_t flags, TIMCommCallback cb, const void* user_data) {
  auto done = [this, cb, user_data](int32_t code, std::string desc) {
    {
      std::lock_guard lock(mu_);  // before the result: the callback sees the final status
      --logouts_in_flight_;
    }
    PostResult(cb, user_data, code, std::move(desc), "");
  };
  if ((flags & TIMD_LOGOUT_FLAG_SERVER) == 0) return done(0, "");
  const bool started = Call(stubs_->session->async(), &SessionAsync::Logout, tim::v1::LogoutRequest(), kShortTimeout,
                            [done](const TimError& error, tim::v1::LogoutResponse&) { done(error.code, error.desc); });
  if (!started) done(kErrInterrupted, "interrupted: TIMUninit");
}

TIMLoginStatus Context::LoginStatus() const {
  std::lock_guard lock(mu_);
  if (logouts_in_flight_ > 0) return kTIMLoginStatus_Logouting;
  if (attached_) return kTIMLoginStatus_Logined;
  if (logins_in_flight_ > 0) return kTIMLoginStatus_Logining;
  return kTIMLoginStatus_UnLogined;
}

std::string Context::LoginUserId() const {
  std::lock_guard lock(mu_);
  return attached_ ? user_id_ : std::string();
}

void Context::SetCallbackLogLevel(int level) {
  if (callback_log_level_.exchange(level) != level) RefreshSubscription();
}

void Context::RefreshSubscription() {
  std::lock_guard lock(mu_);
  if (subscriber_) subscriber_->Refresh();
}

void Context::FillFilter(tim::v1::SubscribeRequest* request) const {
  const int level = callback_log_level_.load();
  const bool want_log = Listeners::Instance().Get<Slot::kLog>().cb != nullptr && level != kTIMLog_Off;
  request->set_min_log_level(level > 0 ? static_cast<tim::v1::LogLevel>(level) : tim::v1::LOG_INFO);
  if (want_log) return;  // empty kinds = all
  for (int kind = tim::v1::EventKind_MIN; kind <= tim::v1::EventKind_MAX; ++kind) {
    if (kind != tim::v1::EVENT_KIND_UNSPECIFIED && kind != tim::v1::EVENT_KIND_LOG) {
      request->add_kinds(static_cast<tim::v1::EventKind>(kind));
    }
  }
}

}  // namespace timclient
