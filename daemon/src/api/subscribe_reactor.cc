#include "api/subscribe_reactor.h"

#include <spdlog/spdlog.h>

#include <exception>
#include <utility>
#include <vector>

#include "api/grpc_status.h"
#include "api/raw_messages.h"

namespace timd::api {

Status ShuttingDownStatus() {
  return Status(Code::kUnavailable, tim_err::kSdkInternalError, "timd is shutting down");
}

bool StreamSet::Add(const std::shared_ptr<SubscribeReactor>& stream) {
  std::lock_guard<std::mutex> lock(mu_);
  if (closed_) return false;
  streams_[stream.get()] = stream;
  return true;
}

void StreamSet::Remove(const SubscribeReactor* stream) {
  std::lock_guard<std::mutex> lock(mu_);
  streams_.erase(stream);
}

void StreamSet::CloseAll(const Status& status) {
  std::vector<std::shared_ptr<SubscribeReactor>> open;
  {
    std::lock_guard<std::mutex> lock(mu_);
    closed_ = true;
    for (auto& [ptr, weak] : streams_) {
      if (auto stream = weak.lock()) open.push_back(std::move(stream));
    }
  }
  for (auto& stream : open) stream->End(status);
}

SubscribeReactor::SubscribeReactor(grpc::CallbackServerContext* ctx, LoopQueue& loop,
                                   std::shared_ptr<StreamSet> streams)
    : ctx_(ctx), loop_(loop), streams_(std::move(streams)) {}

SubscribeReactor* SubscribeReactor::Create(grpc::CallbackServerContext* ctx,
                                           const tim::v1::SubscribeRequest& request, LoopQueue& loop,
                                           events::EventBus& bus, events::ConsumerCursors& consumers,
                                           std::shared_ptr<StreamSet> streams,
                                           std::unique_ptr<CallerBudget::Slot> slot) {
  std::shared_ptr<SubscribeReactor> reactor(new SubscribeReactor(ctx, loop, streams));
  reactor->self_ = reactor;
  reactor->slot_ = std::move(slot);

  std::optional<uint64_t> since_seq;
  if (request.has_since_seq()) since_seq = request.since_seq();
  events::SubscriptionFilter filter;
  for (int kind : request.kinds()) filter.kinds.insert(kind);
  filter.min_log_level = request.min_log_level() == tim::v1::LOG_OFF ? tim::v1::LOG_INFO : request.min_log_level();

  bool started = streams->Add(reactor) && loop.Post([reactor, bus = &bus, consumers = &consumers, since_seq,
                                                     consumer = request.consumer(), filter] {
    reactor->SubscribeOnLoop(*bus, *consumers, since_seq, consumer, filter);
  });
  if (!started) reactor->End(ShuttingDownStatus());
  return reactor.get();
}

SubscribeReactor* SubscribeReactor::Refuse(grpc::CallbackServerContext* ctx, LoopQueue& loop,
                                           std::shared_ptr<StreamSet> streams, const Status& status) {
  std::shared_ptr<SubscribeReactor> reactor(new SubscribeReactor(ctx, loop, std::move(streams)));
  reactor->self_ = reactor;
  reactor->End(status);
  return reactor.get();
}

void SubscribeReactor::SubscribeOnLoop(events::EventBus& bus, events::ConsumerCursors& consumers,
                                       std::optional<uint64_t> since_seq,
                                       const std::string& consumer, events::SubscriptionFilter filter) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (ending_) return;
  }
  uint64_t oldest = 0;
  std::shared_ptr<events::Subscription> sub;
  try {
    if (!consumer.empty() && !events::ConsumerCursors::ValidName(consumer)) {
      End(Status(Code::kInvalidArgument, tim_err::kInvalidParameters,
                 "consumer name must be 1 to 64 letters, digits, '.', '_' or '-'"));
      return;
    }
    if (!consumer.empty() && !since_seq) {
      auto start = consumers.StartFor(consumer);
      if (!start.ok()) {
        End(start.status());
        return;
      }
      since_seq = start.value();
    }
    auto result = bus.Subscribe(since_seq, std::move(filter), &oldest);
    if (!result.ok()) {
      End(result.status(), {oldest, since_seq.value_or(0)});
      return;
    }
    sub = std::move(result).value();
  } catch (const std::exception& e) {
    spdlog::error("api: Subscribe failed: {}", e.what());
    End(Status(Code::kInternal, tim_err::kDatabaseFailure, "subscribe failed"));
    return;
  }

  std::weak_ptr<SubscribeReactor> weak = weak_from_this();
  sub->SetReadyCallback([weak] {
    if (auto self = weak.lock()) self->SchedulePump();
  });
  bool ended;
  {
    std::lock_guard<std::mutex> lock(mu_);
    ended = ending_;
    if (!ended) sub_ = sub;
  }
  if (ended) {  // End() ran meanwhile and could not see the subscription
    sub->SetReadyCallback(nullptr);
    sub->Cancel();
    return;
  }
  Pump();
}

void SubscribeReactor::SchedulePump() {
  // The subscription may call us while holding its own lock, so popping is
  // deferred to a loop task instead of happening here.
  if (pump_scheduled_.exchange(true)) return;
  auto self = shared_from_this();
  if (!loop_.Post([self] {
        self->pump_scheduled_ = false;
        self->Pump();
      })) {
    pump_scheduled_ = false;
  }
}

void SubscribeReactor::Pump() {
  grpc::ByteBuffer* bytes = nullptr;
  Status serialized;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (ending_ || in_flight_ || !sub_) return;
    events::EventPtr event = sub_->Pop();
    if (!event) return;  // the ready callback fires when the next one arrives
    auto buffer = std::make_unique<grpc::ByteBuffer>();
    serialized = SerializeResponse(*event, *buffer);
    if (serialized.ok()) in_flight_ = std::move(buffer);
    bytes = in_flight_.get();
  }
  if (!serialized.ok()) return End(serialized);
  // Not under mu_: gRPC may run OnWriteDone before StartWrite returns.
  StartWrite(bytes);
}

void SubscribeReactor::OnWriteDone(bool ok) {
  bool finish = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    in_flight_.reset();
    if (ending_ && !finished_) finish = finished_ = true;
  }
  if (finish) {
    FinishNow();
  } else if (!ok) {
    End(Status(Code::kCancelled, tim_err::kSucc, "stream closed"));
  } else {
    Pump();
  }
}

void SubscribeReactor::End(const Status& status, const ReplayBounds& bounds) {
  std::shared_ptr<events::Subscription> sub;
  bool finish = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (ending_) return;
    ending_ = true;
    end_status_ = status;
    end_bounds_ = bounds;
    sub = std::move(sub_);
    if (!in_flight_) finish = finished_ = true;
  }
  if (sub) {
    sub->SetReadyCallback(nullptr);
    sub->Cancel();
  }
  if (finish) FinishNow();
}

void SubscribeReactor::FinishNow() {
  // end_status_ is stable: only the first End() writes it.
  Finish(FinishStatus(ctx_, end_status_, end_bounds_));
}

void SubscribeReactor::OnCancel() { End(Status(Code::kCancelled, tim_err::kSucc, "cancelled")); }

void SubscribeReactor::OnDone() {
  streams_->Remove(this);
  slot_.reset();
  auto keep_until_return = std::move(self_);
}

}  // namespace timd::api
