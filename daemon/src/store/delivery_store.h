// XEP-0184 delivery in the messages table: delivered_ms is when the peer's
// client confirmed an own message (0 = not confirmed). Set once, by the
// first receipt; writes join the current batch.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "store/database.h"

namespace timd::store {

class DeliveryStore {
 public:
  explicit DeliveryStore(Database& db);
  ~DeliveryStore();

  // Marks the own message `msg_id` delivered at `delivered_ms` unless it
  // already is; true when this call marked it.
  bool MarkDelivered(const std::string& msg_id, int64_t delivered_ms);

 private:
  Database& db_;
  std::unique_ptr<Statement> mark_delivered_;
};

}  // namespace timd::store
