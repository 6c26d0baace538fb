#include "store/message_store.h"

#include <algorithm>
#include <cstdio>
#include <limits>

namespace timd::store {
namespace {

constexpr int64_t kFirstConvSeq = int64_t{1} << 32;

constexpr const char* kColumns =
    "rowid, msg_id, conv_id, conv_type, sender, is_from_self, body, elems, server_time_ms, "
    "client_time_ms, status, is_read, sid_own, origin_id, raw_id, conv_seq";

std::string Select(const char* where) { return std::string("SELECT ") + kColumns + " FROM messages " + where; }

MessageRecord ReadMessage(const Statement& s) {
  MessageRecord m;
  m.rowid = s.Int(0);
  m.msg_id = s.Text(1);
  m.conv_id = s.Text(2);
  m.conv_type = static_cast<int>(s.Int(3));
  m.sender = s.Text(4);
  m.is_from_self = s.Int(5) != 0;
  m.body = s.Text(6);
  m.elems = s.Blob(7);
  m.server_time_ms = s.Int(8);
  m.client_time_ms = s.Int(9);
  m.status = static_cast<int>(s.Int(10));
  m.is_read = s.Int(11) != 0;
  m.sid_own = s.Text(12);
  m.origin_id = s.Text(13);
  m.raw_id = s.Text(14);
  m.conv_seq = s.Int(15);
  return m;
}

ConversationRecord ReadConversation(const Statement& s) {
  ConversationRecord c;
  c.conv_id = s.Text(0);
  c.conv_type = static_cast<int>(s.Int(1));
  c.last_msg_rowid = s.Int(2);
  c.unread = s.Int(3);
  c.active_time_ms = s.Int(4);
  c.next_seq = s.Int(5);
  return c;
}

std::optional<MessageRecord> FirstMessage(Statement& s) {
  std::optional<MessageRecord> m;
  if (s.Step()) m = ReadMessage(s);
  s.Reset();
  return m;
}

std::vector<MessageRecord> AllMessages(Statement& s) {
  std::vector<MessageRecord> out;
  while (s.Step()) out.push_back(ReadMessage(s));
  return out;
}

int64_t MessageTime(int64_t server_time_ms, int64_t client_time_ms) {
  return server_time_ms != 0 ? server_time_ms : client_time_ms;
}

// Stable replacement for a msg_id that a different message already holds.
std::string DerivedMsgId(const MessageRecord& m) {
  uint64_t h = 14695981039346656037ull;  // FNV-1a
  for (const std::string* part : {&m.conv_id, &m.sender, &m.raw_id, &m.sid_own}) {
    for (unsigned char c : *part) h = (h ^ c) * 1099511628211ull;
    h = (h ^ 0xff) * 1099511628211ull;  // separator
  }
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
  return std::string("x-") + hex;
}

}  // namespace

MessageStore::MessageStore(Database& db) : db_(db) {
  sqlite3* h = db.handle();
  // conv_seq: the conversation's next_seq, or the first seq for a new one.
  // (No RETURNING clause: SQLite builds an ephemeral table for it on every
  // insert, which dominated the per-message cost.)
  insert_ = std::make_unique<Statement>(
      h,
      "INSERT INTO messages(msg_id, conv_id, conv_type, sender, is_from_self, body, elems, server_time_ms, "
      "client_time_ms, status, is_read, sid_own, origin_id, raw_id, conv_seq) "
      "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15) ON CONFLICT DO NOTHING");
  next_seq_ = std::make_unique<Statement>(
      h, "SELECT next_seq FROM conversations WHERE conv_type = ? AND conv_id = ?");
  bump_seq_ = std::make_unique<Statement>(
      h,
      "INSERT INTO conversations(conv_id, conv_type, next_seq) VALUES(?, ?, ?) "
      "ON CONFLICT(conv_type, conv_id) DO UPDATE SET next_seq = excluded.next_seq");
  by_sid_ = std::make_unique<Statement>(h, Select("WHERE sid_own = ?"));
  by_origin_ = std::make_unique<Statement>(h, Select("WHERE sender = ? AND origin_id = ?"));
  by_raw_ = std::make_unique<Statement>(h, Select("WHERE sender = ? AND raw_id = ? AND origin_id = '' AND sid_own = ''"));
  set_sid_ = std::make_unique<Statement>(h, "UPDATE messages SET sid_own = ? WHERE rowid = ?");
  by_msg_id_ = std::make_unique<Statement>(h, Select("WHERE msg_id = ?"));
  by_rowid_ = std::make_unique<Statement>(h, Select("WHERE rowid = ?"));
  sending_ = std::make_unique<Statement>(h, Select("WHERE status = 1 AND is_from_self = 1 ORDER BY rowid"));
  update_status_ = std::make_unique<Statement>(
      h, "UPDATE messages SET status = ?1, server_time_ms = CASE WHEN ?2 > 0 THEN ?2 ELSE server_time_ms END "
         "WHERE rowid = ?3");
  list_ = std::make_unique<Statement>(
      h, Select("WHERE conv_type = ? AND conv_id = ? AND conv_seq < ? ORDER BY conv_seq DESC LIMIT ?"));
  conv_get_ = std::make_unique<Statement>(
      h,
      "SELECT c.last_msg_rowid, c.unread, c.active_time_ms, c.next_seq, m.server_time_ms, m.client_time_ms "
      "FROM conversations c LEFT JOIN messages m ON m.rowid = c.last_msg_rowid "
      "WHERE c.conv_type = ? AND c.conv_id = ?");
  conv_touch_ = std::make_unique<Statement>(
      h,
      "INSERT INTO conversations(conv_id, conv_type, last_msg_rowid, unread, active_time_ms, next_seq) "
      "VALUES(?, ?, ?, ?, ?, ?) ON CONFLICT(conv_type, conv_id) DO UPDATE SET "
      "last_msg_rowid = excluded.last_msg_rowid, unread = excluded.unread, "
      "active_time_ms = excluded.active_time_ms");
  const char* conv_columns = "SELECT conv_id, conv_type, last_msg_rowid, unread, active_time_ms, next_seq ";
  conv_find_ = std::make_unique<Statement>(
      h, std::string(conv_columns) + "FROM conversations WHERE conv_type = ? AND conv_id = ?");
  conv_list_ = std::make_unique<Statement>(
      h, std::string(conv_columns) +
             "FROM conversations WHERE last_msg_rowid <> 0 ORDER BY active_time_ms DESC, conv_type, conv_id");
}

bool MessageStore::Insert(MessageRecord& m) {
  db_.Touch();
  bool inserted = TryInsert(m);
  if (!inserted) {
    if (auto dup = FindDuplicate(m)) {
      if (dup->sid_own.empty() && !m.sid_own.empty()) set_sid_->Bind(1, m.sid_own).Bind(2, dup->rowid).Run();
      m.rowid = dup->rowid;
      m.msg_id = dup->msg_id;
      m.conv_seq = dup->conv_seq;
      return false;
    }
    // Not a copy of a stored message: only its msg_id collides.
    m.msg_id = DerivedMsgId(m);
    inserted = TryInsert(m);
    if (!inserted) {
      if (auto same = FindByMsgId(m.msg_id)) {
        m.rowid = same->rowid;
        m.conv_seq = same->conv_seq;
      }
      return false;
    }
  }
  bump_seq_->Bind(1, m.conv_id).Bind(2, m.conv_type).Bind(3, m.conv_seq + 1).Run();
  return true;
}

int64_t MessageStore::NextConvSeq(const MessageRecord& m) {
  Statement& s = next_seq_->Bind(1, m.conv_type).Bind(2, m.conv_id);
  const int64_t seq = s.Step() ? s.Int(0) : kFirstConvSeq;
  s.Reset();
  return seq;
}

bool MessageStore::TryInsert(MessageRecord& m) {
  const int64_t conv_seq = NextConvSeq(m);
  Statement& s = *insert_;
  s.Bind(1, m.msg_id)
      .Bind(2, m.conv_id)
      .Bind(3, m.conv_type)
      .Bind(4, m.sender)
      .Bind(5, m.is_from_self ? 1 : 0)
      .Bind(6, m.body)
      .BindBlob(7, m.elems)
      .Bind(8, m.server_time_ms)
      .Bind(9, m.client_time_ms)
      .Bind(10, m.status)
      .Bind(11, m.is_read ? 1 : 0)
      .Bind(12, m.sid_own)
      .Bind(13, m.origin_id)
      .Bind(14, m.raw_id)
      .Bind(15, conv_seq);
  s.Run();
  if (sqlite3_changes(db_.handle()) == 0) return false;
  m.rowid = sqlite3_last_insert_rowid(db_.handle());
  m.conv_seq = conv_seq;
  return true;
}

std::optional<MessageRecord> MessageStore::FindDuplicate(const MessageRecord& m) {
  if (!m.sid_own.empty()) {
    if (auto dup = FirstMessage(by_sid_->Bind(1, m.sid_own))) return dup;
  }
  if (!m.origin_id.empty()) return FirstMessage(by_origin_->Bind(1, m.sender).Bind(2, m.origin_id));
  if (!m.raw_id.empty() && m.sid_own.empty()) return FirstMessage(by_raw_->Bind(1, m.sender).Bind(2, m.raw_id));
  return std::nullopt;
}

std::optional<MessageRecord> MessageStore::FindByMsgId(const std::string& msg_id) {
  return FirstMessage(by_msg_id_->Bind(1, msg_id));
}

std::optional<MessageRecord> MessageStore::FindByRowid(int64_t rowid) {
  return FirstMessage(by_rowid_->Bind(1, rowid));
}

void MessageStore::UpdateStatus(int64_t rowid, int status, int64_t server_time_ms) {
  db_.Touch();
  update_status_->Bind(1, status).Bind(2, server_time_ms).Bind(3, rowid).Run();
}

std::vector<MessageRecord> MessageStore::List(const std::string& conv_id, int conv_type, int64_t before_seq,
                                              int limit) {
  const int64_t bound = before_seq > 0 ? before_seq : std::numeric_limits<int64_t>::max();
  return AllMessages(list_->Bind(1, conv_type).Bind(2, conv_id).Bind(3, bound).Bind(4, limit));
}

std::vector<MessageRecord> MessageStore::ListSending() { return AllMessages(sending_->Reset()); }

int64_t MessageStore::NewestServerTimeMs() {
  Statement newest(db_.handle(), "SELECT COALESCE(MAX(server_time_ms), 0) FROM messages");
  return newest.Step() ? newest.Int(0) : 0;
}

std::pair<ConversationRecord, bool> MessageStore::TouchConversation(const MessageRecord& m, bool counts_unread) {
  db_.Touch();
  ConversationRecord c;
  c.conv_id = m.conv_id;
  c.conv_type = m.conv_type;
  bool created = true;
  int64_t last_time = 0;
  Statement& get = conv_get_->Bind(1, m.conv_type).Bind(2, m.conv_id);
  if (get.Step()) {
    c.last_msg_rowid = get.Int(0);
    c.unread = get.Int(1);
    c.active_time_ms = get.Int(2);
    c.next_seq = get.Int(3);
    if (!get.IsNull(4)) last_time = MessageTime(get.Int(4), get.Int(5));
    created = c.last_msg_rowid == 0;
  } else {
    c.next_seq = m.conv_seq != 0 ? m.conv_seq + 1 : kFirstConvSeq;
  }
  get.Reset();

  const int64_t time = MessageTime(m.server_time_ms, m.client_time_ms);
  if (c.last_msg_rowid == 0 || time >= last_time) c.last_msg_rowid = m.rowid;
  c.active_time_ms = std::max(c.active_time_ms, time);
  if (counts_unread) ++c.unread;
  conv_touch_->Bind(1, c.conv_id)
      .Bind(2, c.conv_type)
      .Bind(3, c.last_msg_rowid)
      .Bind(4, c.unread)
      .Bind(5, c.active_time_ms)
      .Bind(6, c.next_seq)
      .Run();
  return {c, created};
}

std::optional<ConversationRecord> MessageStore::FindConversation(const std::string& conv_id, int conv_type) {
  Statement& s = conv_find_->Bind(1, conv_type).Bind(2, conv_id);
  std::optional<ConversationRecord> c;
  if (s.Step()) c = ReadConversation(s);
  s.Reset();
  return c;
}

std::vector<ConversationRecord> MessageStore::ListConversations() {
  Statement& s = conv_list_->Reset();
  std::vector<ConversationRecord> out;
  while (s.Step()) out.push_back(ReadConversation(s));
  return out;
}

}  // namespace timd::store
