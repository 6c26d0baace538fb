#include "store/msg_id_index.h"

#include <algorithm>
#include <string>
#include <utility>

namespace timd::store {
namespace {

// Rows per INSERT in a flush: one statement execution per 128 keys instead
// of one per key cuts a flush's time by about 30% (256 variables, well
// under SQLite's limit).
constexpr size_t kRowsPerInsert = 128;

std::string MultiRowInsert(size_t rows) {
  std::string sql = "INSERT OR IGNORE INTO msg_keys(msg_key, msg_rowid) VALUES(?, ?)";
  for (size_t i = 1; i < rows; ++i) sql += ", (?, ?)";
  return sql;
}

}  // namespace

MsgIdIndex::MsgIdIndex(Database& db, size_t flush_at) : db_(db), flush_at_(std::max<size_t>(flush_at, 1)) {
  sqlite3* h = db.handle();
  find_ = std::make_unique<Statement>(h, "SELECT msg_rowid FROM msg_keys WHERE msg_key = ?");
  insert_ = std::make_unique<Statement>(h, MultiRowInsert(1));
  insert_many_ = std::make_unique<Statement>(h, MultiRowInsert(kRowsPerInsert));
  get_watermark_ = std::make_unique<Statement>(h, "SELECT watermark FROM msg_keys_state WHERE id = 0");
  set_watermark_ = std::make_unique<Statement>(h, "UPDATE msg_keys_state SET watermark = ? WHERE id = 0");
  rows_above_ = std::make_unique<Statement>(h, "SELECT msg_key, rowid FROM messages WHERE rowid > ?");
  all_keys_ = std::make_unique<Statement>(h, "SELECT msg_key FROM msg_keys");
  Reload();
  // Not reloaded right away: the listener may run before SQLite has rolled
  // the transaction back.
  batch_listener_ = db_.AddBatchListener({nullptr, [this] { stale_ = true; }});
}

MsgIdIndex::~MsgIdIndex() { db_.RemoveBatchListener(batch_listener_); }

std::vector<int64_t> MsgIdIndex::Find(int64_t key) {
  if (stale_) Reload();
  std::vector<int64_t> rowids;
  buffer_.ForEach(key, [&](int64_t rowid) { rowids.push_back(rowid); });
  if (!filter_) BuildFilter();
  if (!filter_->MayContain(key)) return rowids;
  Statement& s = find_->Bind(1, key);
  while (s.Step()) rowids.push_back(s.Int(0));
  s.Reset();
  return rowids;
}

void MsgIdIndex::Add(int64_t key, int64_t rowid) {
  if (stale_) {
    Reload();  // reads the open batch too, so this row is in already
  } else {
    buffer_.Insert(key, rowid);
  }
  if (buffer_.size() >= flush_at_) Flush();
}

void MsgIdIndex::Flush() {
  // Key order: each page of msg_keys is visited once.
  const std::vector<std::pair<int64_t, int64_t>> entries = buffer_.SortedEntries();
  int64_t highest = watermark_;
  for (const auto& entry : entries) highest = std::max(highest, entry.second);
  try {
    db_.Touch();
    size_t next = 0;
    for (; entries.size() - next >= kRowsPerInsert; next += kRowsPerInsert) {
      for (size_t i = 0; i < kRowsPerInsert; ++i) {
        const int column = static_cast<int>(2 * i);
        insert_many_->Bind(column + 1, entries[next + i].first).Bind(column + 2, entries[next + i].second);
      }
      insert_many_->Run();
    }
    for (; next < entries.size(); ++next) insert_->Bind(1, entries[next].first).Bind(2, entries[next].second).Run();
    set_watermark_->Bind(1, highest).Run();
  } catch (const StoreError&) {
    // Part of the keys may be in msg_keys now, under the old watermark: the
    // next use reloads, and the next flush skips the keys already there.
    stale_ = true;
    throw;
  }
  // Rolled back later? Then both are reloaded from the file (the filter
  // keeps the keys: false positives only).
  watermark_ = highest;
  if (filter_) {
    for (const auto& entry : entries) filter_->Add(entry.first);
    if (filter_->added() > filter_->capacity()) filter_.reset();  // rebuilt larger on the next lookup
  }
  buffer_.Clear();
}

void MsgIdIndex::Reload() {
  stale_ = false;
  Statement& w = get_watermark_->Reset();
  watermark_ = w.Step() ? w.Int(0) : 0;
  w.Reset();
  buffer_.Clear();
  Statement& s = rows_above_->Bind(1, watermark_);
  while (s.Step()) buffer_.Insert(s.Int(0), s.Int(1));
  s.Reset();
}

void MsgIdIndex::BuildFilter() {
  // The watermark bounds the number of rows in msg_keys from above.
  KeyFilter filter(static_cast<size_t>(std::max<int64_t>(watermark_, 0)) + flush_at_);
  Statement& s = all_keys_->Reset();
  while (s.Step()) filter.Add(s.Int(0));
  s.Reset();
  filter_ = std::move(filter);  // only complete: a failed scan leaves none
}

}  // namespace timd::store
