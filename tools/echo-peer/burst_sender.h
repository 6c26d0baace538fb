// A paced burst of numbered chat messages from the echo peer, for fault
// tests: message i has the id and body "<prefix>-<i, 5 digits>". Once the
// server has acknowledged the last one (XEP-0198), it prints
// "echo-peer burst acked <count>" on stdout: every message is then in the
// server's hands.
#pragma once

#include <uv.h>

#include <cstdint>
#include <string>

#include "xmpp/chat.h"

namespace timd::echo_peer {

struct BurstOptions {
  std::string to;            // bare JID
  uint64_t count = 0;
  uint64_t rate_per_s = 0;   // 0 = as fast as the stream takes them
  std::string prefix = "burst";
};

class BurstSender {
 public:
  BurstSender(uv_loop_t* loop, xmpp::ChatManager& chat, BurstOptions options);
  ~BurstSender();
  BurstSender(const BurstSender&) = delete;
  BurstSender& operator=(const BurstSender&) = delete;

  void Start();  // once; later calls are ignored
  // Outbound stanzas up to `handled` were acknowledged by the server.
  void OnAcked(uint64_t handled);

 private:
  static void OnTick(uv_timer_t* timer);
  void SendDue();

  xmpp::ChatManager& chat_;
  const BurstOptions options_;
  uv_loop_t* loop_;
  uv_timer_t* timer_;  // heap-owned: closes asynchronously
  uint64_t started_ms_ = 0;
  uint64_t sent_ = 0;
  uint64_t last_stanza_seq_ = 0;
  bool started_ = false;
  bool reported_ = false;
};

}  // namespace timd::echo_peer
