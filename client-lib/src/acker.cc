#include "acker.h"

#include <utility>

namespace timclient {
namespace {

constexpr auto kAckInterval = std::chrono::milliseconds(100);
constexpr auto kAckTimeout = std::chrono::seconds(2);

}  // namespace

Acker::Acker(std::shared_ptr<timd::ApiStubs> stubs, std::string consumer,
             std::shared_ptr<const std::atomic<uint64_t>> delivered_seq)
    : stubs_(std::move(stubs)),
      consumer_(std::move(consumer)),
      delivered_seq_(std::move(delivered_seq)),
      thread_([this] { Run(); }) {}

Acker::~Acker() { Stop(); }

void Acker::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

bool Acker::AckNow(tim::v1::Events::Stub& events, const std::string& consumer, uint64_t seq,
                   std::chrono::milliseconds timeout) {
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + timeout);
  tim::v1::AckEventsRequest request;
  request.set_consumer(consumer);
  request.set_seq(seq);
  tim::v1::AckEventsResponse response;
  return events.AckEvents(&ctx, request, &response).ok();
}

void Acker::Run() {
  uint64_t acked = 0;
  std::unique_lock lock(mu_);
  while (!cv_.wait_for(lock, kAckInterval, [this] { return stopping_; })) {
    const uint64_t delivered = delivered_seq_->load();
    if (delivered <= acked) continue;
    lock.unlock();
    // A failed ack (timd away) is retried on the next tick.
    if (AckNow(*stubs_->events, consumer_, delivered, kAckTimeout)) acked = delivered;
    lock.lock();
  }
}

}  // namespace timclient
