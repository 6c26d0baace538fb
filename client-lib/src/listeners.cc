#include "listeners.h"

#include <algorithm>

namespace timclient {

Listeners& Listeners::Instance() {
  // Never destroyed: a callback thread may still read it during exit.
  static Listeners* const instance = new Listeners;
  return *instance;
}

void Listeners::AddRecvNewMsg(TIMRecvNewMsgCallback cb, const void* user_data) {
  if (!cb) return;
  std::lock_guard lock(mu_);
  recv_new_msg_.push_back({cb, user_data});
}

void Listeners::RemoveRecvNewMsg(TIMRecvNewMsgCallback cb) {
  std::lock_guard lock(mu_);
  std::erase_if(recv_new_msg_, [cb](const auto& l) { return l.cb == cb; });
}

std::vector<Listener<TIMRecvNewMsgCallback>> Listeners::RecvNewMsg() const {
  std::lock_guard lock(mu_);
  return recv_new_msg_;
}

}  // namespace timclient
