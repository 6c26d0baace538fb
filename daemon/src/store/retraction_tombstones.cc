#include "store/retraction_tombstones.h"

namespace timd::store {

RetractionTombstones::RetractionTombstones(Database& db)
    : db_(db),
      add_(std::make_unique<Statement>(
          db.handle(), "INSERT OR IGNORE INTO retraction_tombstones(sender, raw_id, received_ms) VALUES(?, ?, ?)")),
      find_(std::make_unique<Statement>(db.handle(),
                                        "SELECT 1 FROM retraction_tombstones WHERE sender = ? AND raw_id = ?")),
      erase_(std::make_unique<Statement>(db.handle(),
                                         "DELETE FROM retraction_tombstones WHERE sender = ? AND raw_id = ?")) {}

void RetractionTombstones::Add(const std::string& sender, const std::string& raw_id, int64_t received_ms) {
  db_.Touch();
  add_->Bind(1, sender).Bind(2, raw_id).Bind(3, received_ms).Run();
}

bool RetractionTombstones::Take(const std::string& sender, const std::string& raw_id) {
  // A lookup first: most stored messages have no tombstone, and a read
  // opens no write batch.
  Statement& find = find_->Bind(1, sender).Bind(2, raw_id);
  const bool found = find.Step();
  find.Reset();
  if (!found) return false;
  db_.Touch();
  erase_->Bind(1, sender).Bind(2, raw_id).Run();
  return true;
}

}  // namespace timd::store
