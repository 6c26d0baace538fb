// tim.v1.Events (events.proto): the durable event stream and its consumer
// cursors. Subscribe takes a place in the caller's stream budget for as long
// as its stream lives (SubscribeReactor); AckEvents is an ordinary call
// through the CallGate.
#pragma once

#include <grpcpp/grpcpp.h>

#include "api/call_gate.h"
#include "events/consumer_cursors.h"
#include "events/event_bus.h"
#include "tim/v1/events.grpc.pb.h"

namespace timd::api {

// Every method raw (bytes in, bytes out; see raw_messages.h).
using EventsServiceBase = tim::v1::Events::WithRawCallbackMethod_Subscribe<
    tim::v1::Events::WithRawCallbackMethod_AckEvents<tim::v1::Events::CallbackService>>;

class EventsService final : public EventsServiceBase {
 public:
  EventsService(CallGate& gate, events::EventBus& bus, events::ConsumerCursors& consumers)
      : gate_(gate), bus_(bus), consumers_(consumers) {}

  grpc::ServerWriteReactor<grpc::ByteBuffer>* Subscribe(grpc::CallbackServerContext* ctx,
                                                        const grpc::ByteBuffer* request) override;
  grpc::ServerUnaryReactor* AckEvents(grpc::CallbackServerContext* ctx, const grpc::ByteBuffer* request,
                                      grpc::ByteBuffer* response) override;

 private:
  CallGate& gate_;
  events::EventBus& bus_;
  events::ConsumerCursors& consumers_;
};

}  // namespace timd::api
