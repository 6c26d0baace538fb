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
  buffer_.reserve(flush_at_);  // no rehashing while it fills
  Reload();
  // Not reloaded right away: the listener may run before SQLite has rolled
  // the transaction back.
  batch_listener_ = db_.AddBatchListener({nullptr, [this] { stale_ = true; }});
}

MsgIdIndex::~MsgIdIndex() { db_.RemoveBatchListener(batch_listener_); }

std::vector<int64_t> MsgIdIndex::Find(int64_t key) {
  if (stale_) Reload();
  std::vector<int64_t> rowids;
  auto [first, last] = buffer_.equal_range(key);
  for (auto it = first; it != last; ++it) rowids.push_back(it->second);
  Statement& s = find_->Bind(1, key);
  while (s.Step()) rowids.push_back(s.Int(0));
  s.Reset();
  return rowids;
}

void MsgIdIndex::Add(int64_t key, int64_t rowid) {
  if (stale_) {
    Reload();  // reads the open batch too, so this row is in already
  } else {
    buffer_.emplace(key, rowid);
  }
  if (buffer_.size() >= flush_at_) Flush();
}

void MsgIdIndex::Flush() {
  std::vector<std::pair<int64_t, int64_t>> entries(buffer_.begin(), buffer_.end());
  std::sort(entries.begin(), entries.end());  // key order: each page of msg_keys is visited once
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
  // Rolled back later? Then both are reloaded from the file.
  watermark_ = highest;
  buffer_.clear();
}

void MsgIdIndex::Reload() {
  stale_ = false;
  Statement& w = get_watermark_->Reset();
  watermark_ = w.Step() ? w.Int(0) : 0;
  w.Reset();
  buffer_.clear();
  Statement& s = rows_above_->Bind(1, watermark_);
  while (s.Step()) buffer_.emplace(s.Int(0), s.Int(1));
  s.Reset();
}

}  // namespace timd::store
