#include "burst_sender.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <utility>

namespace timd::echo_peer {
namespace {

constexpr uint64_t kTickMs = 10;

std::string MessageId(const std::string& prefix, uint64_t i) {
  char digits[24];
  std::snprintf(digits, sizeof digits, "%05llu", static_cast<unsigned long long>(i));
  return prefix + "-" + digits;
}

}  // namespace

BurstSender::BurstSender(uv_loop_t* loop, xmpp::ChatManager& chat, BurstOptions options)
    : chat_(chat), options_(std::move(options)), loop_(loop), timer_(new uv_timer_t) {
  uv_timer_init(loop, timer_);
  timer_->data = this;
}

BurstSender::~BurstSender() {
  uv_close(reinterpret_cast<uv_handle_t*>(timer_), [](uv_handle_t* h) { delete reinterpret_cast<uv_timer_t*>(h); });
}

void BurstSender::Start() {
  if (std::exchange(started_, true)) return;
  spdlog::info("burst: sending {} messages to {}", options_.count, options_.to);
  started_ms_ = uv_now(loop_);
  SendDue();
  if (sent_ < options_.count) uv_timer_start(timer_, &BurstSender::OnTick, kTickMs, kTickMs);
}

void BurstSender::OnTick(uv_timer_t* timer) { static_cast<BurstSender*>(timer->data)->SendDue(); }

void BurstSender::SendDue() {
  uint64_t due = options_.count;
  if (options_.rate_per_s != 0) {
    // One more than the elapsed time calls for, so the first one goes at once.
    due = std::min(options_.count, (uv_now(loop_) - started_ms_) * options_.rate_per_s / 1000 + 1);
  }
  for (; sent_ < due; ++sent_) {
    const std::string id = MessageId(options_.prefix, sent_);
    const uint64_t seq = chat_.Send({options_.to, id, id});
    if (seq == 0) {
      spdlog::error("burst: offline after {} messages", sent_);
      uv_timer_stop(timer_);
      return;
    }
    last_stanza_seq_ = seq;
  }
  if (sent_ == options_.count) uv_timer_stop(timer_);
}

void BurstSender::OnAcked(uint64_t handled) {
  if (reported_ || sent_ < options_.count || handled < last_stanza_seq_) return;
  reported_ = true;
  std::cout << "echo-peer burst acked " << options_.count << std::endl;
}

}  // namespace timd::echo_peer
