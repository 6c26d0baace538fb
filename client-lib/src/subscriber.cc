#include "subscriber.h"

#include <algorithm>
#include <utility>

#include "TIMCloud.h"
#include "callback_queue.h"
#include "event_dispatch.h"
#include "listeners.h"
#include "own_sends.h"
#include "rpc_status.h"

namespace timclient {
namespace {

constexpr auto kMinBackoff = std::chrono::milliseconds(100);
constexpr auto kMaxBackoff = std::chrono::seconds(5);
constexpr auto kProbeTimeout = std::chrono::seconds(2);

// Failures that mean "timd is not there" rather than "timd said no".
bool IsUnreachable(const grpc::Status& status) {
  switch (status.error_code()) {
    case grpc::StatusCode::UNAVAILABLE:
    case grpc::StatusCode::DEADLINE_EXCEEDED:
    case grpc::StatusCode::CANCELLED:
    case grpc::StatusCode::OK:  // the server ended the stream
      return true;
    default:
      return false;
  }
}

}  // namespace

Subscriber::Subscriber(std::shared_ptr<timd::ApiStubs> stubs, CallbackQueue& queue, Options options)
    : stubs_(std::move(stubs)), queue_(queue), options_(std::move(options)), thread_([this] { Run(); }) {}

Subscriber::~Subscriber() { Stop(); }

void Subscriber::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    if (call_) call_->TryCancel();
  }
  cv_.notify_all();
  options_.budget->Wake();
  if (thread_.joinable()) thread_.join();
}

void Subscriber::Refresh() {
  {
    std::lock_guard lock(mu_);
    refresh_ = true;
    if (call_) call_->TryCancel();
  }
  options_.budget->Wake();
}

bool Subscriber::SleepUnlessStopped(std::chrono::milliseconds delay) {
  std::unique_lock lock(mu_);
  return !cv_.wait_for(lock, delay, [this] { return stopping_; });
}

void Subscriber::Run() {
  std::chrono::milliseconds backoff = kMinBackoff;
  bool reachable = true;  // the login that attached us just reached timd
  bool failure_reported = false;
  for (;;) {
    if (!reachable) {
      if (!Probe()) {
        if (!failure_reported) {
          PostNetworkStatus(kTIMConnectFailed, kErrNetDisconnect,
                            "timd unreachable at " + options_.socket_path + ", retrying");
          failure_reported = true;
        }
        if (!SleepUnlessStopped(backoff)) return;
        backoff = std::min<std::chrono::milliseconds>(backoff * 2, kMaxBackoff);
        continue;
      }
      reachable = true;
      failure_reported = false;
      backoff = kMinBackoff;
    }

    auto ctx = std::make_shared<grpc::ClientContext>();
    {
      std::lock_guard lock(mu_);
      if (stopping_) return;
      refresh_ = false;
      call_ = ctx;
    }
    const std::optional<uint64_t> before = resume_after_;
    bool overflowed = false;
    grpc::Status status = Stream(ctx, &overflowed);
    {
      std::lock_guard lock(mu_);
      call_.reset();
      if (stopping_) return;
      if (refresh_) continue;
    }
    if (resume_after_ != before) backoff = kMinBackoff;  // it delivered: a fresh failure
    if (overflowed) {
      options_.budget->WaitForRoom([this] {
        std::lock_guard lock(mu_);
        return stopping_ || refresh_;
      });
      continue;
    }

    const TimError error = ToTimError(status, ctx.get(), options_.socket_path);
    if (status.error_code() == grpc::StatusCode::OUT_OF_RANGE && error.code == kErrDatabaseNotFound &&
        error.oldest_available_seq > 0) {
      ReportGap(error.requested_since_seq, error.oldest_available_seq);
      resume_after_ = error.oldest_available_seq - 1;
      continue;
    }
    if (!IsUnreachable(status)) {
      PostLog(kTIMLog_Error, "timd refused the event subscription (" + std::to_string(error.code) + "): " + error.desc);
    } else if (reachable) {
      PostNetworkStatus(kTIMDisconnected, kErrNetDisconnect,
                        "timd unreachable at " + options_.socket_path + ": " + status.error_message());
      reachable = false;
    }
    if (!SleepUnlessStopped(backoff)) return;
    backoff = std::min<std::chrono::milliseconds>(backoff * 2, kMaxBackoff);
  }
}

grpc::Status Subscriber::Stream(const std::shared_ptr<grpc::ClientContext>& ctx, bool* overflowed) {
  tim::v1::SubscribeRequest request;
  options_.filter(&request);
  request.set_consumer(options_.consumer);
  if (resume_after_) request.set_since_seq(*resume_after_);
  auto reader = stubs_->events->Subscribe(ctx.get(), request);
  auto event = std::make_shared<tim::v1::Event>();
  while (reader->Read(event.get())) {
    auto reservation = EventBudget::TryReserve(options_.budget, event->ByteSizeLong());
    if (!reservation) {
      // Full: this event and the rest of the stream are dropped, and read
      // again from resume_after_ once the app has caught up.
      *overflowed = true;
      ctx->TryCancel();
      while (reader->Read(event.get())) {
      }
      break;
    }
    resume_after_ = event->seq();
    // The reservation is given back when the task is destroyed, after it ran.
    queue_.Post([event, reservation, delivered = options_.delivered_seq] {
      DispatchEvent(*event, Listeners::Instance(), OwnSends::Instance());
      delivered->store(event->seq());
    });
    event = std::make_shared<tim::v1::Event>();
  }
  return reader->Finish();
}

bool Subscriber::Probe() {
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + kProbeTimeout);
  tim::v1::GetLoginStatusResponse response;
  if (!stubs_->session->GetLoginStatus(&ctx, tim::v1::GetLoginStatusRequest(), &response).ok()) return false;
  // Back in touch: tell the app how timd's own link is.
  PostNetworkStatus(response.network(), 0, response.network_desc());
  return true;
}

void Subscriber::PostNetworkStatus(int status, int32_t code, const std::string& desc) {
  queue_.Post([status, code, desc] {
    auto l = Listeners::Instance().Get<Slot::kNetworkStatus>();
    if (l.cb) l.cb(static_cast<TIMNetworkStatus>(status), code, desc.c_str(), l.user_data);
  });
}

void Subscriber::ReportGap(uint64_t after, uint64_t oldest) {
  // OUT_OF_RANGE means after + 1 < oldest.
  PostLog(kTIMLog_Warn, "events lost: timd's journal dropped seqs " + std::to_string(after + 1) + ".." +
                            std::to_string(oldest - 1) + " (at most " + std::to_string(oldest - 1 - after) +
                            " events) before this app received them; resuming at seq " + std::to_string(oldest));
}

void Subscriber::PostLog(int level, const std::string& text) {
  queue_.Post([level, text] {
    auto l = Listeners::Instance().Get<Slot::kLog>();
    if (l.cb) l.cb(static_cast<TIMLogLevel>(level), text.c_str(), l.user_data);
  });
}

}  // namespace timclient
