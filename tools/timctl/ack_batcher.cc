#include "ack_batcher.h"

#include <chrono>

namespace timctl {

namespace {
constexpr auto kAckInterval = std::chrono::milliseconds(200);
}  // namespace

AckBatcher::AckBatcher(TimdClient& client, std::string consumer)
    : client_(client), consumer_(std::move(consumer)), thread_([this] { Run(); }) {}

AckBatcher::~AckBatcher() {
  if (thread_.joinable()) Finish();
}

void AckBatcher::Processed(uint64_t seq) {
  std::lock_guard lock(mu_);
  if (seq <= pending_) return;
  pending_ = seq;
  cv_.notify_all();
}

int AckBatcher::Finish() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    cv_.notify_all();
  }
  if (thread_.joinable()) thread_.join();
  std::unique_lock lock(mu_);
  if (pending_ > sent_) SendLocked(lock);
  return first_error_;
}

void AckBatcher::Run() {
  std::unique_lock lock(mu_);
  while (true) {
    cv_.wait(lock, [this] { return stopping_ || pending_ > sent_; });
    if (stopping_) return;
    SendLocked(lock);
    cv_.wait_for(lock, kAckInterval, [this] { return stopping_; });
  }
}

void AckBatcher::SendLocked(std::unique_lock<std::mutex>& lock) {
  tim::v1::AckEventsRequest request;
  request.set_consumer(consumer_);
  request.set_seq(pending_);
  sent_ = pending_;
  lock.unlock();
  grpc::ClientContext ctx;
  client_.PrepareUnary(ctx);
  tim::v1::AckEventsResponse response;
  grpc::Status status = client_.stubs().events->AckEvents(&ctx, request, &response);
  lock.lock();
  if (!status.ok() && first_error_ == kExitOk) {  // report once, not every 200 ms
    first_error_ = ReportCallError(client_.options(), client_.target(), ctx, status);
  }
}

}  // namespace timctl
