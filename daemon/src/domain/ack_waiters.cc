#include "domain/ack_waiters.h"

#include <utility>

#include "common/clock.h"

namespace timd::domain {

AckWaiters::~AckWaiters() {
  FailAll(Status(Code::kUnavailable, tim_err::kNetDisconnect, "daemon shutting down"));
}

void AckWaiters::Wait(uint64_t seq, Done done) {
  waiting_[seq] = Waiter{static_cast<uint64_t>(NowMs()) + timeout_ms_, std::move(done)};
  ArmTimer();
}

void AckWaiters::OnAcked(uint64_t handled) {
  while (!waiting_.empty() && waiting_.begin()->first <= handled) {
    Done done = std::move(waiting_.begin()->second.done);
    waiting_.erase(waiting_.begin());
    done(Status::Ok());
  }
  if (waiting_.empty()) timer_.Stop();
}

void AckWaiters::FailAll(const Status& why) {
  std::map<uint64_t, Waiter> failed = std::move(waiting_);
  waiting_.clear();
  timer_.Stop();
  for (auto& [seq, waiter] : failed) waiter.done(why);
}

void AckWaiters::ArmTimer() {
  if (!timer_.active()) timer_.Start(1000, [this] { OnTimer(); });
}

void AckWaiters::OnTimer() {
  const auto now = static_cast<uint64_t>(NowMs());
  for (auto it = waiting_.begin(); it != waiting_.end();) {
    if (it->second.deadline_ms > now) {
      ++it;
      continue;
    }
    Done done = std::move(it->second.done);
    it = waiting_.erase(it);
    done(Status(Code::kDeadlineExceeded, tim_err::kRequestTimeout, "the server did not acknowledge in time"));
  }
  if (!waiting_.empty()) ArmTimer();
}

}  // namespace timd::domain
