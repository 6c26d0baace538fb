// XEP-0424 retractions that arrived before the message they retract (an
// offline copy overtaking the archive, a carbon before the original): kept
// by (retracting sender, retracted id attribute) until that sender's
// message with that id is stored, then applied and dropped. Keyed by the
// sender, so a third party's retraction never matches another's message.
// Writes join the current batch, like every other store write.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "store/database.h"

namespace timd::store {

class RetractionTombstones {
 public:
  explicit RetractionTombstones(Database& db);

  void Add(const std::string& sender, const std::string& raw_id, int64_t received_ms);
  // Drops the tombstone for `sender`'s message `raw_id`; true when there was one.
  bool Take(const std::string& sender, const std::string& raw_id);

 private:
  Database& db_;
  std::unique_ptr<Statement> add_, find_, erase_;
};

}  // namespace timd::store
