// History queries and local history changes over the messages table
// (tim-xmpp-mapping.md 4.6): pages in either direction within a time range,
// lookups by seq and time, local deletion and local custom data.
//
// A deleted message keeps its row as a tombstone: status MSG_DELETED (4),
// content and local data wiped, marked read. Copies of it that arrive later
// (archive catch-up, offline storage) meet the row in MessageStore::Insert
// and stay deleted. A cleared conversation also remembers when it was
// cleared, so older messages it never stored are kept out too. Every query
// here leaves deleted rows out. Writes join the current batch.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "store/message_store.h"

namespace timd::store {

constexpr int kDeletedStatus = 4;  // TIMMsgStatus kTIMMsg_Deleted

struct HistoryPage {
  std::string conv_id;
  int conv_type = 1;
  bool forward = false;     // false: older than anchor_seq, newest first; true: newer, oldest first
  int64_t anchor_seq = 0;   // excluded; 0 = from the newest (backwards) or the oldest (forwards)
  int64_t from_ms = 0;      // message time range, inclusive
  int64_t to_ms = INT64_MAX;
  int limit = 20;
  // Only messages with an element of these types (bits 1 << TIMElemType,
  // see elem_type_filter.h); 0 = any.
  uint64_t elem_type_mask = 0;
};

class HistoryStore {
 public:
  explicit HistoryStore(MessageStore& messages);
  ~HistoryStore();
  HistoryStore(const HistoryStore&) = delete;
  HistoryStore& operator=(const HistoryStore&) = delete;

  std::vector<MessageRecord> Page(const HistoryPage& page);
  std::optional<MessageRecord> FindBySeq(const std::string& conv_id, int conv_type, int64_t seq);
  // Messages whose time is within [from_ms, to_ms], oldest first (at most 100).
  std::vector<MessageRecord> InTimeRange(const std::string& conv_id, int conv_type, int64_t from_ms, int64_t to_ms);
  std::optional<MessageRecord> Newest(const std::string& conv_id, int conv_type);
  // Received messages not yet read.
  int64_t CountUnread(const std::string& conv_id, int conv_type);

  void MarkDeleted(int64_t rowid);
  // Marks every message of the conversation deleted and remembers `now_ms`
  // as the time it was cleared.
  void Clear(const std::string& conv_id, int conv_type, int64_t now_ms);
  // When the conversation was last cleared (0: never).
  int64_t ClearedAtMs(const std::string& conv_id, int conv_type);

  void SetLocalCustomData(int64_t rowid, int64_t custom_int, const std::string& custom_str);

 private:
  Database& db_;
  std::unique_ptr<Statement> backward_, forward_, by_seq_, in_range_, newest_, unread_;
  std::unique_ptr<Statement> mark_deleted_, clear_, set_cleared_, cleared_at_, set_custom_;
};

}  // namespace timd::store
