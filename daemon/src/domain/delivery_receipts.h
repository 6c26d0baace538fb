// XEP-0184 delivery receipts for own messages (issue 15): a <received/>
// from the conversation's peer naming an own C2C message marks it
// delivered (store/delivery_store.h) the first time. At the turn's commit
// one MessagesDelivered event lists the messages that became delivered. A
// receipt from anyone else, from our own account, or for an unknown id
// changes nothing: only the peer can vouch for its own client.
#pragma once

#include <cstddef>
#include <vector>

#include "domain/user_ids.h"
#include "events/event_bus.h"
#include "store/delivery_store.h"
#include "store/message_store.h"
#include "store/read_state_store.h"
#include "tim/v1/common.pb.h"
#include "xmpp/receipts.h"

namespace timd::domain {

class DeliveryReceiptTracker {
 public:
  DeliveryReceiptTracker(store::MessageStore& store, events::EventBus& bus, const UserIds& ids);
  ~DeliveryReceiptTracker();
  DeliveryReceiptTracker(const DeliveryReceiptTracker&) = delete;
  DeliveryReceiptTracker& operator=(const DeliveryReceiptTracker&) = delete;

  // A receipt from the stream (live, carbon or archive).
  void OnReceipt(const xmpp::DeliveryReceipt& receipt);

 private:
  void Publish();  // pre-commit hook: this turn's MessagesDelivered event

  store::MessageStore& store_;
  store::ReadStateStore references_;
  store::DeliveryStore deliveries_;
  events::EventBus& bus_;
  const UserIds& ids_;
  std::vector<tim::v1::Message> turn_;  // delivered this turn
  size_t pre_commit_hook_;
  size_t rollback_hook_;
};

}  // namespace timd::domain
