// The durable event journal: (seq, kind, time, payload) rows. Seqs are
// assigned by the caller (the event bus) and strictly increase.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
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

  // Joins the current write batch (db.Touch()).
  void Append(const JournalRow& row);
  // Rows with seq > after_seq, ascending, at most `limit`; when `kinds` is
  // non-empty only rows whose kind is listed.
  std::vector<JournalRow> ReadAfter(uint64_t after_seq, size_t limit,
                                    const std::vector<int>& kinds = {});
  uint64_t LastSeq();    // 0 when empty
  uint64_t OldestSeq();  // 0 when empty
  // Keeps the newest `keep` rows (rows with seq > LastSeq() - keep, seqs
  // being dense); returns how many were deleted. Writes: call db.Touch()
  // first to put it in the current batch.
  size_t Trim(size_t keep);

 private:
  Statement& ReadStatement(size_t kind_count);

  Database& db_;
  std::unique_ptr<Statement> append_, last_, oldest_, trim_;
  std::map<size_t, std::unique_ptr<Statement>> read_;  // by number of kinds
};

}  // namespace timd::store
