// The msg_id -> rowid index of the messages table, with a write buffer in
// front of it, like an LSM tree's memtable.
//
// msg_ids are random (UUIDs), so a plain index on them puts every insert on
// a random page, and every page a batch dirties is written whole to the WAL
// at its commit: with tens of thousands of messages that is most of the
// index, rewritten at every commit, and more with every message stored.
// Here a new row's key only joins an in-memory buffer. The buffer covers the
// rows above a watermark; when it is full its keys go into the `msg_keys`
// table in key order, in one batch, so each index page is dirtied once per
// flush instead of once per commit, and the watermark moves up.
//
// A Bloom filter (KeyFilter) over the keys in msg_keys spares the table
// search for ids never seen, which is what almost every new message has. It
// is built from msg_keys on the first lookup (not at start-up) and again
// when it outgrows its size; a flush adds its keys.
//
// The messages table stays the truth: msg_keys and the watermark change in
// the same transaction, and the buffer is rebuilt from the rows above the
// watermark after a batch is rolled back (and at start). There must
// be one writer per state file (the daemon's loop thread).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "store/database.h"
#include "store/key_filter.h"
#include "store/rowid_multimap.h"

namespace timd::store {

class MsgIdIndex {
 public:
  // Keys buffered before they are flushed into msg_keys: a flush rewrites
  // up to every page of msg_keys once, so larger flushes write less per
  // message; the buffer costs 32 to 64 bytes per key.
  static constexpr size_t kDefaultFlushAt = 32768;

  explicit MsgIdIndex(Database& db, size_t flush_at = kDefaultFlushAt);
  ~MsgIdIndex();
  MsgIdIndex(const MsgIdIndex&) = delete;
  MsgIdIndex& operator=(const MsgIdIndex&) = delete;

  // Rowids of the rows whose msg_key (msg_key.h) is `key`. Keys can collide:
  // the caller compares the msg_id of each.
  std::vector<int64_t> Find(int64_t key);
  // A row just inserted into the current batch. May flush the buffer into
  // msg_keys, inside the batch.
  void Add(int64_t key, int64_t rowid);

  size_t buffered() const { return buffer_.size(); }

 private:
  void Flush();
  // filter_ := the keys in msg_keys, sized for those and the next flush.
  void BuildFilter();
  // The buffer := the rows above the watermark, as the connection sees
  // them (the open batch included).
  void Reload();

  Database& db_;
  const size_t flush_at_;
  int64_t watermark_ = 0;  // rows with rowid <= this are in msg_keys
  bool stale_ = false;     // a batch was rolled back: reload before use
  RowidMultimap buffer_;  // key -> rowid, rows above the watermark
  std::optional<KeyFilter> filter_;  // every key in msg_keys; built by the first lookup
  std::unique_ptr<Statement> find_, insert_, insert_many_, get_watermark_, set_watermark_, rows_above_, all_keys_;
  size_t batch_listener_ = 0;
};

}  // namespace timd::store
