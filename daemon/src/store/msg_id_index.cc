#include "store/msg_id_index.h"

#include <algorithm>
#include <utility>

namespace timd::store {

MsgIdIndex::MsgIdIndex(Database& db, size_t flush_at) : db_(db), flush_at_(std::max<size_t>(flush_at, 1)) {
  sqlite3* h = db.handle();
  find_ = std::make_unique<Statement>(h, "SELECT msg_rowid FROM msg_keys WHERE msg_key = ?");
  insert_ = std::make_unique<Statement>(h, "INSERT OR IGNORE INTO msg_keys(msg_key, msg_rowid) VALUES(?, ?)");
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
  if (!filter_built_) BuildFilter();
  if (!filter_.MayContain(key)) return rowids;
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
  try {
    db_.Touch();
    for (const auto& [key, rowid] : entries) {
      insert_->Bind(1, key).Bind(2, rowid).Run();
      highest = std::max(highest, rowid);
    }
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
  if (filter_built_) {
    for (const auto& entry : entries) filter_.Add(entry.first);
    if (filter_.added() > filter_.capacity()) filter_built_ = false;  // rebuilt larger on the next lookup
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
  filter_ = KeyFilter(static_cast<size_t>(std::max<int64_t>(watermark_, 0)) + flush_at_);
  Statement& s = all_keys_->Reset();
  while (s.Step()) filter_.Add(s.Int(0));
  s.Reset();
  filter_built_ = true;
}

}  // namespace timd::store
