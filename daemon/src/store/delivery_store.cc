#include "store/delivery_store.h"

namespace timd::store {

DeliveryStore::DeliveryStore(Database& db) : db_(db) {
  mark_delivered_ = std::make_unique<Statement>(
      db.handle(),
      "UPDATE messages SET delivered_ms = ?2 WHERE msg_id = ?1 AND is_from_self = 1 AND delivered_ms = 0");
}

DeliveryStore::~DeliveryStore() = default;

bool DeliveryStore::MarkDelivered(const std::string& msg_id, int64_t delivered_ms) {
  db_.Touch();
  mark_delivered_->Bind(1, msg_id).Bind(2, delivered_ms).Run();
  return sqlite3_changes(db_.handle()) > 0;
}

}  // namespace timd::store
