// The process-wide library state between TIMInit and TIMUninit: the channel
// to timd, the callback thread, the unary calls in flight and, while the app
// is attached to timd's login, its subscriber and acker.
//
// Shared-login policy: TIMLogin asks timd to log in (timd succeeds at once if
// it already holds that identity; another identity fails with 7501). A
// successful TIMLogin "attaches" this app: it subscribes as its durable
// consumer, so it first gets everything since its last acknowledged event,
// then live events. TIMLogout only detaches this app; TIMLogoutEx with
// TIMD_LOGOUT_FLAG_SERVER also logs timd (and so every app) out.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

#include "TIMCloud.h"
#include "acker.h"
#include "callback_queue.h"
#include "event_budget.h"
#include "pending_calls.h"
#include "rpc_status.h"
#include "subscriber.h"
#include "tim/v1/events.pb.h"
#include "timd/api_stubs.h"

namespace timclient {

// The callback-API stubs (their class name is hidden by Stub::async()).
using SessionAsync = class tim::v1::Session::Stub::async;
using MessagesAsync = class tim::v1::Messages::Stub::async;
using ConversationsAsync = class tim::v1::Conversations::Stub::async;
using EventsAsync = class tim::v1::Events::Stub::async;

struct ContextConfig {
  std::string socket_path;
  std::string consumer;
  EventBudget::Limits queue_limits;
};

class Context : public std::enable_shared_from_this<Context> {
 public:
  explicit Context(ContextConfig config);
  ~Context();

  // Cancels calls in flight (their callbacks fire with 7009), detaches,
  // delivers what is queued and records the app's progress in timd.
  void Shutdown();

  int Login(const std::string& user_id, const std::string& user_sig, TIMCommCallback cb, const void* user_data);
  int Logout(uint32_t flags, TIMCommCallback cb, const void* user_data);
  TIMLoginStatus LoginStatus() const;
  std::string LoginUserId() const;  // empty unless attached

  // -1 = not set (timd's default, info).
  void SetCallbackLogLevel(int level);
  int callback_log_level() const { return callback_log_level_.load(); }
  // The event filter changed (log callback or level): resubscribe.
  void RefreshSubscription();

  // Runs `task` on the callback thread.
  void Post(std::function<void()> task) { queue_.Post(std::move(task)); }
  // Runs `cb(code, desc, json, user_data)` on the callback thread; no-op for a NULL cb.
  void PostResult(TIMCommCallback cb, const void* user_data, int32_t code, std::string desc, std::string json);

  template <typename Async, typename Request, typename Response>
  using AsyncMethod = void (Async::*)(grpc::ClientContext*, const Request*, Response*,
                                      std::function<void(grpc::Status)>);

  const timd::ApiStubs& stubs() const { return *stubs_; }

  // Starts a unary call; `on_done(const TimError&, Response&)` runs on a
  // gRPC thread when it completes (and typically posts a result). False when
  // the library is shutting down (the call was not started).
  // `async` is the service's stub's async(), e.g. stubs().messages->async().
  template <typename Async, typename Request, typename Response, typename OnDone>
  bool Call(Async* async, AsyncMethod<Async, Request, Response> method, Request request,
            std::chrono::milliseconds timeout, OnDone on_done) {
    struct State {
      std::shared_ptr<grpc::ClientContext> ctx = std::make_shared<grpc::ClientContext>();
      Request request;
      Response response;
    };
    auto state = std::make_shared<State>();
    state->request = std::move(request);
    state->ctx->set_deadline(std::chrono::system_clock::now() + timeout);
    if (!pending_.Begin(state->ctx)) return false;
    (async->*method)(state->ctx.get(), &state->request, &state->response,
                              [this, state, on_done = std::move(on_done)](grpc::Status status) mutable {
                                on_done(ToTimError(status, state->ctx.get(), config_.socket_path), state->response);
                                pending_.End(state->ctx.get());
                              });
    return true;
  }

 private:
  // Login completed: `user_id` on success, nullptr on failure.
  void FinishLogin(const std::string* user_id);
  // Delivers events from here on (idempotent while attached).
  void StartSubscriber();
  // Stops event delivery (and, `logging_out`, counts a logout in flight);
  // true when the app was attached.
  bool Detach(bool logging_out);
  void FinishLogout(uint32_t flags, TIMCommCallback cb, const void* user_data);
  void FillFilter(tim::v1::SubscribeRequest* request) const;

  const ContextConfig config_;
  const std::shared_ptr<timd::ApiStubs> stubs_;
  const std::shared_ptr<std::atomic<uint64_t>> delivered_seq_ = std::make_shared<std::atomic<uint64_t>>(0);
  const std::shared_ptr<EventBudget> budget_;
  std::atomic<int> callback_log_level_{-1};
  PendingCalls pending_;
  CallbackQueue queue_;

  mutable std::mutex mu_;
  bool attached_ = false;
  int logins_in_flight_ = 0;
  int logouts_in_flight_ = 0;
  std::string user_id_;
  std::unique_ptr<Subscriber> subscriber_;
  std::unique_ptr<Acker> acker_;
};

}  // namespace timclient
