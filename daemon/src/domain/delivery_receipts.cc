#include "domain/delivery_receipts.h"

#include <spdlog/spdlog.h>

#include "common/clock.h"
#include "domain/message_codec.h"

namespace timd::domain {

DeliveryReceiptTracker::DeliveryReceiptTracker(store::MessageStore& store, events::EventBus& bus,
                                               const UserIds& ids)
    : store_(store), references_(store.database()), deliveries_(store.database()), bus_(bus), ids_(ids) {
  pre_commit_hook_ = bus_.AddPreCommitHook([this] { Publish(); });
  rollback_hook_ = bus_.AddRollbackHook([this](const std::string&) { turn_.clear(); });
}

DeliveryReceiptTracker::~DeliveryReceiptTracker() {
  bus_.RemovePreCommitHook(pre_commit_hook_);
  bus_.RemoveRollbackHook(rollback_hook_);
}

void DeliveryReceiptTracker::OnReceipt(const xmpp::DeliveryReceipt& receipt) {
  // Our other device's receipt acknowledges a message the peer sent us.
  if (receipt.origin.is_own) return;
  try {
    // Looked up in the sender's own conversation: a receipt naming a
    // message we sent someone else is spoofed and finds nothing.
    const std::string& peer = receipt.origin.from_bare;
    auto named = references_.FindReferenced(peer, tim::v1::CONV_C2C, receipt.delivered_id);
    if (!named || !named->is_from_self) {
      spdlog::info("delivery: receipt from {} for no own message of that conversation ignored", peer);
      return;
    }
    const int64_t delivered_ms = receipt.origin.delay_ms > 0 ? receipt.origin.delay_ms : NowMs();
    if (!deliveries_.MarkDelivered(named->msg_id, delivered_ms)) return;  // a later copy
    if (auto record = store_.FindByMsgId(named->msg_id)) turn_.push_back(ToApiMessage(*record, ids_));
    bus_.RequestFlush();
  } catch (const store::StoreError& e) {
    bus_.AbortBatch(std::string("could not store a delivery receipt: ") + e.what());
  }
}

void DeliveryReceiptTracker::Publish() {
  if (turn_.empty()) return;
  tim::v1::Event event;
  auto* delivered = event.mutable_messages_delivered();
  for (tim::v1::Message& message : turn_) *delivered->add_messages() = std::move(message);
  turn_.clear();
  bus_.Publish(std::move(event));
}

}  // namespace timd::domain
