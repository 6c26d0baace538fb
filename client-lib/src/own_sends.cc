#include "own_sends.h"

namespace timclient {

OwnSends& OwnSends::Instance() {
  // Never destroyed: the callback thread may still read it during exit.
  static OwnSends* const instance = new OwnSends;
  return *instance;
}

void OwnSends::Remember(const std::string& msg_id) {
  std::lock_guard lock(mu_);
  if (!ids_.insert(msg_id).second) return;
  order_.push_back(msg_id);
  if (order_.size() > kMaxRemembered) {
    ids_.erase(order_.front());
    order_.pop_front();
  }
}

bool OwnSends::Take(const std::string& msg_id) {
  std::lock_guard lock(mu_);
  return ids_.erase(msg_id) != 0;
}

}  // namespace timclient
