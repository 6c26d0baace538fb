// The msg_ids this process sent (TIMMsgSendMessage), until timd's
// NewMessages event for each comes back. TIM tells the sending app of its
// own message through the send callback only, while the other apps of the
// same login on this daemon (siblings) get it through RecvNewMsg, as
// another device's app would (tim-xmpp-mapping.md §13.4): the dispatcher
// drops an event's own messages that are in here. Bounded: an id whose
// event never comes (a send refused before timd stored it) is dropped,
// oldest first.
#pragma once

#include <cstddef>
#include <deque>
#include <mutex>
#include <string>
#include <unordered_set>

namespace timclient {

class OwnSends {
 public:
  static OwnSends& Instance();

  void Remember(const std::string& msg_id);
  // True, and forgotten, when `msg_id` is one this process sent.
  bool Take(const std::string& msg_id);

 private:
  static constexpr size_t kMaxRemembered = 4096;
  std::mutex mu_;
  std::unordered_set<std::string> ids_;
  std::deque<std::string> order_;  // oldest first; may name ids already taken
};

}  // namespace timclient
