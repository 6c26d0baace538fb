// The durable event journal: (seq, kind, time, payload) rows. Seqs are
// assigned by the caller (the event bus) and strictly increase.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "store/database.h"

namespace timd::store {

struct JournalRow {
  uint64_t seq = 0;
  int kind = 0;
  int64_t time_ms = 0;
  std::string payload;  // serialized event
};

class Journal {
 public:
  explicit Journal(Database& db);

  void Append(const JournalRow& row);
  // Rows with seq > after_seq, ascending, at most `limit`; when `kinds` is
  // non-empty only rows whose kind is listed.
  std::vector<JournalRow> ReadAfter(uint64_t after_seq, size_t limit,
                                    const std::vector<int>& kinds = {});
  uint64_t LastSeq();    // 0 when empty
  uint64_t OldestSeq();  // 0 when empty
  // Keeps the newest `keep` rows; returns how many were deleted.
  size_t Trim(size_t keep);

 private:
  Database& db_;
};

}  // namespace timd::store
