#include "api/events_service.h"

#include <utility>

namespace timd::api {

grpc::ServerWriteReactor<grpc::ByteBuffer>* EventsService::Subscribe(grpc::CallbackServerContext* ctx,
                                                                     const grpc::ByteBuffer* raw_request) {
  gate_.LogCall("Subscribe", ctx);
  tim::v1::SubscribeRequest request;
  if (Status parsed = ParseRequest(*raw_request, request); !parsed.ok()) {
    return SubscribeReactor::Refuse(ctx, gate_.loop(), gate_.streams(), parsed);
  }
  auto slot = gate_.TakeStreamSlot(ctx);
  if (!slot.ok()) return SubscribeReactor::Refuse(ctx, gate_.loop(), gate_.streams(), slot.status());
  return SubscribeReactor::Create(ctx, request, gate_.loop(), bus_, consumers_, gate_.streams(),
                                  std::move(slot).value());
}

grpc::ServerUnaryReactor* EventsService::AckEvents(grpc::CallbackServerContext* ctx, const grpc::ByteBuffer* request,
                                                   grpc::ByteBuffer* response) {
  return gate_.Unary<tim::v1::AckEventsRequest, tim::v1::AckEventsResponse>(
      "AckEvents", ctx, request, response,
      [consumers = &consumers_](const tim::v1::AckEventsRequest& req,
                                domain::Done<tim::v1::AckEventsResponse> done) {
        consumers->Ack(req.consumer(), req.seq(), [done = std::move(done)](Result<uint64_t> stored) {
          if (!stored.ok()) return done(stored.status());
          tim::v1::AckEventsResponse response;
          response.set_seq(stored.value());
          done(std::move(response));
        });
      });
}

}  // namespace timd::api
