#include "store/journal.h"

namespace timd::store {

Journal::Journal(Database& db)
    : db_(db),
      append_(std::make_unique<Statement>(db.handle(),
                                          "INSERT INTO journal(seq, kind, time_ms, payload) VALUES(?, ?, ?, ?)")),
      last_(std::make_unique<Statement>(db.handle(), "SELECT COALESCE(MAX(seq), 0) FROM journal")),
      oldest_(std::make_unique<Statement>(db.handle(), "SELECT COALESCE(MIN(seq), 0) FROM journal")),
      trim_(std::make_unique<Statement>(db.handle(),
                                        "DELETE FROM journal WHERE seq <= (SELECT MAX(seq) FROM journal) - ?")) {}

void Journal::Append(const JournalRow& row) {
  db_.Touch();
  append_->Bind(1, static_cast<int64_t>(row.seq))
      .Bind(2, static_cast<int64_t>(row.kind))
      .Bind(3, row.time_ms)
      .BindBlob(4, row.payload)
      .Run();
}

Statement& Journal::ReadStatement(size_t kind_count) {
  auto& slot = read_[kind_count];
  if (!slot) {
    std::string sql = "SELECT seq, kind, time_ms, payload FROM journal WHERE seq > ?";
    if (kind_count > 0) {
      sql += " AND kind IN (?";
      for (size_t i = 1; i < kind_count; ++i) sql += ", ?";
      sql += ")";
    }
    sql += " ORDER BY seq LIMIT ?";
    slot = std::make_unique<Statement>(db_.handle(), sql);
  }
  return *slot;
}

std::vector<JournalRow> Journal::ReadAfter(uint64_t after_seq, size_t limit, const std::vector<int>& kinds) {
  Statement& s = ReadStatement(kinds.size());
  s.Reset();
  int index = 1;
  s.Bind(index++, static_cast<int64_t>(after_seq));
  for (int kind : kinds) s.Bind(index++, static_cast<int64_t>(kind));
  s.Bind(index, static_cast<int64_t>(limit));
  std::vector<JournalRow> rows;
  while (s.Step()) {
    rows.push_back({static_cast<uint64_t>(s.Int(0)), static_cast<int>(s.Int(1)), s.Int(2), s.Blob(3)});
  }
  return rows;
}

uint64_t Journal::LastSeq() {
  last_->Reset();
  uint64_t seq = last_->Step() ? static_cast<uint64_t>(last_->Int(0)) : 0;
  last_->Reset();
  return seq;
}

uint64_t Journal::OldestSeq() {
  oldest_->Reset();
  uint64_t seq = oldest_->Step() ? static_cast<uint64_t>(oldest_->Int(0)) : 0;
  oldest_->Reset();
  return seq;
}

size_t Journal::Trim(size_t keep) {
  db_.Touch();
  trim_->Bind(1, static_cast<int64_t>(keep)).Run();
  return static_cast<size_t>(sqlite3_changes(db_.handle()));
}

}  // namespace timd::store
