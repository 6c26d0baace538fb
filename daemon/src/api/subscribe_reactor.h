// One Subscribe stream: subscribes to the event bus on the loop thread, then
// writes the subscription's events (serialized here: the method is raw),
// one outstanding write at a time.
//
// Threads: the subscription is created on the loop thread; events are popped
// both from gRPC threads (after each completed write) and from the loop
// thread (when the subscription signals new events while no write is in
// flight). `mu_` makes "pop + start write" atomic, so events keep their order.
//
// Lifetime: the reactor is shared-owned. gRPC's reference is dropped in
// OnDone; tasks posted to the loop hold their own reference, and the ready
// callback given to the subscription holds only a weak one, so nothing ever
// calls into a deleted reactor.
#pragma once

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>

#include "api/grpc_status.h"
#include "api/caller_budget.h"
#include "common/loop_queue.h"
#include "common/status.h"
#include "events/consumer_cursors.h"
#include "events/event_bus.h"
#include "tim/v1/events.pb.h"

namespace timd::api {

class SubscribeReactor;

// The open Subscribe streams, so that shutdown can end them.
class StreamSet {
 public:
  // False once CloseAll() ran: the caller must end the stream itself.
  bool Add(const std::shared_ptr<SubscribeReactor>& stream);
  void Remove(const SubscribeReactor* stream);
  // Ends every open stream with `status` and refuses new ones. Any thread.
  void CloseAll(const Status& status);

 private:
  std::mutex mu_;
  bool closed_ = false;
  std::unordered_map<const SubscribeReactor*, std::weak_ptr<SubscribeReactor>> streams_;
};

class SubscribeReactor : public grpc::ServerWriteReactor<grpc::ByteBuffer>,
                         public std::enable_shared_from_this<SubscribeReactor> {
 public:
  // Called from the service's Subscribe handler; returns the reactor to hand
  // back to gRPC. `slot` is the caller's place in its stream budget, held
  // until the stream is done.
  static SubscribeReactor* Create(grpc::CallbackServerContext* ctx, const tim::v1::SubscribeRequest& request,
                                  LoopQueue& loop, events::EventBus& bus, events::ConsumerCursors& consumers,
                                  std::shared_ptr<StreamSet> streams,
                                  std::unique_ptr<CallerBudget::Slot> slot);
  // A stream that ends at once with `status`, subscribing to nothing.
  static SubscribeReactor* Refuse(grpc::CallbackServerContext* ctx, LoopQueue& loop,
                                  std::shared_ptr<StreamSet> streams, const Status& status);

  // Any thread, first call wins: cancels the subscription and finishes the
  // stream with `status` as soon as no write is in flight.
  void End(const Status& status, const ReplayBounds& bounds = {});

  void OnWriteDone(bool ok) override;
  void OnCancel() override;
  void OnDone() override;

 private:
  SubscribeReactor(grpc::CallbackServerContext* ctx, LoopQueue& loop, std::shared_ptr<StreamSet> streams);

  // `consumer` (may be empty) supplies since_seq when the request has none.
  void SubscribeOnLoop(events::EventBus& bus, events::ConsumerCursors& consumers, std::optional<uint64_t> since_seq, const std::string& consumer,
                       events::SubscriptionFilter filter);
  void SchedulePump();  // from the ready callback: pump on the loop
  void Pump();
  void FinishNow();

  grpc::CallbackServerContext* const ctx_;
  LoopQueue& loop_;
  const std::shared_ptr<StreamSet> streams_;
  std::shared_ptr<SubscribeReactor> self_;  // gRPC's reference, dropped in OnDone
  std::unique_ptr<CallerBudget::Slot> slot_;  // released in OnDone
  std::atomic<bool> pump_scheduled_{false};

  std::mutex mu_;
  std::shared_ptr<events::Subscription> sub_;
  std::unique_ptr<grpc::ByteBuffer> in_flight_;  // the event being written; kept alive until OnWriteDone
  bool ending_ = false;         // End() ran: no further writes
  bool finished_ = false;       // Finish() was called
  Status end_status_;
  ReplayBounds end_bounds_;
};

// The status streams and calls end with when the daemon shuts down.
Status ShuttingDownStatus();

}  // namespace timd::api
