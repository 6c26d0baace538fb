#include "store/message_store.h"

#include <openssl/sha.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdio>

#include "store/msg_key.h"

namespace timd::store {
namespace {

constexpr int64_t kFirstConvSeq = int64_t{1} << 32;

constexpr const char* kColumns =
    "rowid, msg_id, conv_id, conv_type, sender, is_from_self, body, elems, server_time_ms, "
    "client_time_ms, status, is_read, sid_own, origin_id, raw_id, conv_seq, markable, is_peer_read, custom_int, "
    "custom_str, delivered_ms";

std::string Select(const std::string& where) { return std::string("SELECT ") + kColumns + " FROM messages " + where; }

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
  m.markable = s.Int(16) != 0;
  m.is_peer_read = s.Int(17) != 0;
  m.custom_int = s.Int(18);
  m.custom_str = s.Text(19);
  m.delivered_ms = s.Int(20);
  return m;
}

// The attribute columns, in ConversationAttributes order, from `first`.
constexpr const char* kAttributeColumns = "deleted_up_to_ms, is_pinned, draft, marks, custom_data, created_ms";

void ReadAttributes(const Statement& s, int first, ConversationAttributes& a) {
  a.deleted_up_to_ms = s.Int(first);
  a.is_pinned = s.Int(first + 1) != 0;
  a.draft = s.Blob(first + 2);
  a.marks = static_cast<uint64_t>(s.Int(first + 3));
  a.custom_data = s.Blob(first + 4);
  a.created_ms = s.Int(first + 5);
}

ConversationRecord ReadConversation(const Statement& s) {
  ConversationRecord c;
  c.conv_id = s.Text(0);
  c.conv_type = static_cast<int>(s.Int(1));
  c.last_msg_rowid = s.Int(2);
  c.unread = s.Int(3);
  c.active_time_ms = s.Int(4);
  c.next_seq = s.Int(5);
  ReadAttributes(s, 6, c.attrs);
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

// The fields that make two stored records copies of one message (see the
// header). Archive ids decide first; then the sender's ids.
bool SameMessage(const MessageRecord& a, const MessageRecord& b) {
  if (!a.sid_own.empty() && a.sid_own == b.sid_own) return true;
  if (a.sender != b.sender) return false;
  if (!a.origin_id.empty() || !b.origin_id.empty()) return a.origin_id == b.origin_id;
  return !a.raw_id.empty() && a.raw_id == b.raw_id && a.sid_own.empty() && b.sid_own.empty();
}

// Stable replacement for a msg_id that a different message already holds:
// a digest of the identity every copy shares, so copies derive the same id.
std::string DerivedMsgId(const MessageRecord& m) {
  std::string identity = !m.origin_id.empty() ? "o\n" + m.sender + "\n" + m.origin_id
                         : !m.sid_own.empty() ? "s\n" + m.sid_own
                         : !m.raw_id.empty()  ? "r\n" + m.sender + "\n" + m.raw_id
                                              : "m\n" + m.sender + "\n" + m.msg_id;
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(identity.data()), identity.size(), digest);
  std::string id = "x-";
  for (int i = 0; i < 16; ++i) {
    char hex[3];
    std::snprintf(hex, sizeof hex, "%02x", digest[i]);
    id += hex;
  }
  return id;
}

}  // namespace

bool PredatesWatermark(int64_t time_ms, int64_t watermark_ms) {
  constexpr int64_t kSecondMs = 1000;
  const bool whole_second = time_ms % kSecondMs == 0;
  return (whole_second ? time_ms + kSecondMs - 1 : time_ms) <= watermark_ms;
}

MessageStore::MessageStore(Database& db) : db_(db), msg_ids_(db) {
  sqlite3* h = db.handle();
  // conv_seq: the conversation's next_seq, or the first seq for a new one.
  // (No RETURNING clause: SQLite builds an ephemeral table for it on every
  // insert, which dominated the per-message cost.)
  insert_ = std::make_unique<Statement>(
      h,
      "INSERT INTO messages(msg_id, conv_id, conv_type, sender, is_from_self, body, elems, server_time_ms, "
      "client_time_ms, status, is_read, sid_own, origin_id, raw_id, conv_seq, msg_key, markable, is_peer_read, "
      "no_unread) "
      "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)");
  set_sid_ = std::make_unique<Statement>(h, "UPDATE messages SET sid_own = ? WHERE rowid = ?");
  by_rowid_ = std::make_unique<Statement>(h, Select("WHERE rowid = ?"));
  sending_ = std::make_unique<Statement>(h, Select("WHERE status = 1 AND is_from_self = 1 ORDER BY rowid"));
  update_status_ = std::make_unique<Statement>(
      h, "UPDATE messages SET status = ?1, server_time_ms = CASE WHEN ?2 > 0 THEN ?2 ELSE server_time_ms END "
         "WHERE rowid = ?3");
  by_raw_id_ = std::make_unique<Statement>(
      h, Select("WHERE conv_type = ? AND conv_id = ? AND raw_id = ? ORDER BY conv_seq DESC LIMIT 16"));
  update_content_ = std::make_unique<Statement>(h, "UPDATE messages SET body = ?, elems = ? WHERE rowid = ?");
  conv_get_ = std::make_unique<Statement>(
      h,
      "SELECT c.last_msg_rowid, c.unread, c.active_time_ms, c.next_seq, m.server_time_ms, m.client_time_ms, "
      "c.deleted_up_to_ms, c.is_pinned, c.draft, c.marks, c.custom_data, c.created_ms "
      "FROM conversations c LEFT JOIN messages m ON m.rowid = c.last_msg_rowid "
      "WHERE c.conv_type = ? AND c.conv_id = ?");
  conv_put_ = std::make_unique<Statement>(
      h,
      "INSERT INTO conversations(conv_id, conv_type, last_msg_rowid, unread, active_time_ms, next_seq, "
      "deleted_up_to_ms, is_pinned, draft, marks, custom_data, created_ms) "
      "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(conv_type, conv_id) DO UPDATE SET "
      "last_msg_rowid = excluded.last_msg_rowid, unread = excluded.unread, "
      "active_time_ms = excluded.active_time_ms, next_seq = excluded.next_seq, "
      "deleted_up_to_ms = excluded.deleted_up_to_ms, is_pinned = excluded.is_pinned, draft = excluded.draft, "
      "marks = excluded.marks, custom_data = excluded.custom_data, created_ms = excluded.created_ms");
  const std::string conv_columns =
      std::string("SELECT conv_id, conv_type, last_msg_rowid, unread, active_time_ms, next_seq, ") +
      kAttributeColumns + " ";
  conv_find_ = std::make_unique<Statement>(h, conv_columns + "FROM conversations WHERE conv_type = ? AND conv_id = ?");
  conv_list_ = std::make_unique<Statement>(
      h, conv_columns +
             "FROM conversations WHERE last_msg_rowid <> 0 OR created_ms <> 0 "
             "ORDER BY is_pinned DESC, active_time_ms DESC, conv_type, conv_id");
  // Own messages still waiting for the server stay: a send in flight keeps
  // its row (its outcome is recorded by rowid).
  delete_conv_messages_ = std::make_unique<Statement>(
      h, std::string(kMakeDeletedRows) +
             "WHERE conv_type = ? AND conv_id = ? AND status <> 4 AND NOT (status = 1 AND is_from_self = 1)");
  oldest_ = std::make_unique<Statement>(
      h, Select("WHERE conv_type = ? AND conv_id = ? ORDER BY conv_seq ASC LIMIT 1"));
  total_unread_ = std::make_unique<Statement>(
      h, "SELECT COALESCE(SUM(MAX(unread, 0)), 0) FROM conversations WHERE last_msg_rowid <> 0 OR created_ms <> 0");
  batch_listener_ = db_.AddBatchListener({[this] { WriteConversations(); }, [this] { convs_.clear(); }});
}

MessageStore::~MessageStore() {
  try {
    WriteConversations();
  } catch (const StoreError& e) {
    spdlog::error("store: conversation state not written: {}", e.what());
  }
  db_.RemoveBatchListener(batch_listener_);
}

std::string NaturalMsgId(const MessageRecord& m) {
  if (!m.origin_id.empty()) return m.origin_id;
  if (!m.raw_id.empty()) return m.raw_id;
  if (!m.sid_own.empty()) return "s:" + m.sid_own;
  return "";
}

bool MessageStore::Insert(MessageRecord& m) { return Insert(m, false); }

bool MessageStore::InsertOlder(MessageRecord& m) { return Insert(m, true); }

std::optional<MessageRecord> MessageStore::Oldest(const std::string& conv_id, int conv_type) {
  return FirstMessage(oldest_->Bind(1, conv_type).Bind(2, conv_id));
}

bool MessageStore::Insert(MessageRecord& m, bool older) {
  db_.Touch();
  // msg_id is unique by this check, not by a constraint (the index holds
  // only its hash): the loop thread is the only writer.
  std::optional<MessageRecord> holder = FindByMsgId(m.msg_id);
  if (!holder) return InsertNew(m, older);
  if (!SameMessage(*holder, m)) {
    // Another message has this id: this one moves to its derived id, where
    // its copies find it too.
    m.msg_id = DerivedMsgId(m);
    holder = FindByMsgId(m.msg_id);
    if (!holder) return InsertNew(m, older);
  }
  if (holder->sid_own.empty() && !m.sid_own.empty()) set_sid_->Bind(1, m.sid_own).Bind(2, holder->rowid).Run();
  m.rowid = holder->rowid;
  m.msg_id = holder->msg_id;
  m.conv_seq = holder->conv_seq;
  return false;
}

MessageStore::CachedConversation& MessageStore::Cached(const std::string& conv_id, int conv_type) {
  auto key = std::make_pair(conv_type, conv_id);
  if (auto it = convs_.find(key); it != convs_.end()) return it->second;
  if (convs_.size() >= kMaxCachedConversations) {
    WriteConversations();
    convs_.clear();
  }
  CachedConversation c;
  c.record.conv_id = conv_id;
  c.record.conv_type = conv_type;
  c.record.next_seq = kFirstConvSeq;
  Statement& get = conv_get_->Bind(1, conv_type).Bind(2, conv_id);
  if (get.Step()) {
    c.record.last_msg_rowid = get.Int(0);
    c.record.unread = get.Int(1);
    c.record.active_time_ms = get.Int(2);
    c.record.next_seq = get.Int(3);
    if (!get.IsNull(4)) c.last_msg_time_ms = MessageTime(get.Int(4), get.Int(5));
    ReadAttributes(get, 6, c.record.attrs);
  }
  get.Reset();
  return convs_.emplace(std::move(key), std::move(c)).first->second;
}

void MessageStore::WriteConversations() {
  for (auto& [key, c] : convs_) {
    if (!c.dirty) continue;
    db_.Touch();
    conv_put_->Bind(1, c.record.conv_id)
        .Bind(2, c.record.conv_type)
        .Bind(3, c.record.last_msg_rowid)
        .Bind(4, c.record.unread)
        .Bind(5, c.record.active_time_ms)
        .Bind(6, c.record.next_seq)
        .Bind(7, c.record.attrs.deleted_up_to_ms)
        .Bind(8, c.record.attrs.is_pinned ? 1 : 0)
        .BindBlob(9, c.record.attrs.draft)
        .Bind(10, static_cast<int64_t>(c.record.attrs.marks))
        .BindBlob(11, c.record.attrs.custom_data)
        .Bind(12, c.record.attrs.created_ms)
        .Run();
    c.dirty = false;
  }
}

bool MessageStore::InsertNew(MessageRecord& m, bool older) {
  CachedConversation& conv = Cached(m.conv_id, m.conv_type);
  int64_t conv_seq = conv.record.next_seq;
  if (older) {
    const std::optional<MessageRecord> oldest = Oldest(m.conv_id, m.conv_type);
    conv_seq = (oldest ? oldest->conv_seq : conv.record.next_seq) - 1;
  }
  const int64_t key = MsgKeyOf(m.msg_id);
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
      .Bind(15, conv_seq)
      .Bind(16, key)
      .Bind(17, m.markable ? 1 : 0)
      .Bind(18, m.is_peer_read ? 1 : 0)
      .Bind(19, m.no_unread ? 1 : 0);
  s.Run();
  m.rowid = sqlite3_last_insert_rowid(db_.handle());
  msg_ids_.Add(key, m.rowid);
  m.conv_seq = conv_seq;
  if (older) return true;
  conv.record.next_seq = conv_seq + 1;
  conv.dirty = true;
  return true;
}

std::optional<MessageRecord> MessageStore::FindByMsgId(const std::string& msg_id) {
  for (int64_t rowid : msg_ids_.Find(MsgKeyOf(msg_id))) {
    auto m = FindByRowid(rowid);
    if (m && m->msg_id == msg_id) return m;
  }
  return std::nullopt;
}

std::optional<MessageRecord> MessageStore::FindByRowid(int64_t rowid) {
  return FirstMessage(by_rowid_->Bind(1, rowid));
}

void MessageStore::UpdateStatus(int64_t rowid, int status, int64_t server_time_ms) {
  db_.Touch();
  update_status_->Bind(1, status).Bind(2, server_time_ms).Bind(3, rowid).Run();
}

std::vector<MessageRecord> MessageStore::FindByRawId(const std::string& conv_id, int conv_type,
                                                     const std::string& raw_id) {
  return AllMessages(by_raw_id_->Bind(1, conv_type).Bind(2, conv_id).Bind(3, raw_id));
}

void MessageStore::UpdateContent(int64_t rowid, const std::string& body, const std::string& elems) {
  db_.Touch();
  update_content_->Bind(1, body).BindBlob(2, elems).Bind(3, rowid).Run();
}

std::string MessageStore::SelectMessages(const std::string& where) { return Select(where); }

MessageRecord MessageStore::ReadRecord(const Statement& s) { return ReadMessage(s); }

std::vector<MessageRecord> MessageStore::ListSending() { return AllMessages(sending_->Reset()); }

int64_t MessageStore::NewestServerTimeMs() {
  Statement newest(db_.handle(), "SELECT COALESCE(MAX(server_time_ms), 0) FROM messages");
  return newest.Step() ? newest.Int(0) : 0;
}

std::pair<ConversationRecord, bool> MessageStore::TouchConversation(const MessageRecord& m, bool counts_unread) {
  db_.Touch();
  CachedConversation& c = Cached(m.conv_id, m.conv_type);
  const bool created = !c.record.Listed();
  const int64_t time = MessageTime(m.server_time_ms, m.client_time_ms);
  if (created || time >= c.last_msg_time_ms) {
    c.record.last_msg_rowid = m.rowid;
    c.last_msg_time_ms = time;
  }
  c.record.active_time_ms = std::max(c.record.active_time_ms, time);
  if (counts_unread) ++c.record.unread;
  c.dirty = true;
  return {c.record, created};
}

std::optional<ConversationRecord> MessageStore::FindConversation(const std::string& conv_id, int conv_type) {
  WriteConversations();
  Statement& s = conv_find_->Bind(1, conv_type).Bind(2, conv_id);
  std::optional<ConversationRecord> c;
  if (s.Step()) c = ReadConversation(s);
  s.Reset();
  return c;
}

ConversationRecord MessageStore::SetUnread(const std::string& conv_id, int conv_type, int64_t unread) {
  db_.Touch();
  CachedConversation& c = Cached(conv_id, conv_type);
  c.record.unread = unread;
  c.dirty = true;
  return c.record;
}

ConversationRecord MessageStore::SetAttributes(const std::string& conv_id, int conv_type,
                                               const ConversationAttributes& attrs) {
  db_.Touch();
  CachedConversation& c = Cached(conv_id, conv_type);
  c.record.attrs = attrs;
  c.dirty = true;
  return c.record;
}

std::pair<ConversationRecord, bool> MessageStore::CreateConversation(const std::string& conv_id, int conv_type,
                                                                   int64_t now_ms) {
  CachedConversation& c = Cached(conv_id, conv_type);
  if (c.record.Listed()) return {c.record, false};
  db_.Touch();
  c.record.attrs.created_ms = now_ms;
  c.record.active_time_ms = std::max(c.record.active_time_ms, now_ms);
  c.dirty = true;
  return {c.record, true};
}

ConversationRecord MessageStore::ReplaceLastMessage(const std::string& conv_id, int conv_type,
                                                    const MessageRecord* last) {
  db_.Touch();
  CachedConversation& c = Cached(conv_id, conv_type);
  c.record.last_msg_rowid = last ? last->rowid : 0;
  c.last_msg_time_ms = last ? MessageTime(last->server_time_ms, last->client_time_ms) : 0;
  c.dirty = true;
  return c.record;
}

void MessageStore::DeleteConversation(const std::string& conv_id, int conv_type, bool clear_messages,
                                      int64_t up_to_ms) {
  db_.Touch();
  CachedConversation& c = Cached(conv_id, conv_type);
  c.record.last_msg_rowid = 0;
  c.record.unread = 0;
  c.record.active_time_ms = 0;
  c.last_msg_time_ms = 0;
  c.record.attrs = ConversationAttributes{};
  c.record.attrs.deleted_up_to_ms = up_to_ms;
  c.dirty = true;  // next_seq stays: seqs of later messages never repeat
  if (clear_messages) delete_conv_messages_->Bind(1, conv_type).Bind(2, conv_id).Run();
}

bool MessageStore::IsDeleted(const MessageRecord& m) {
  const int64_t up_to = Cached(m.conv_id, m.conv_type).record.attrs.deleted_up_to_ms;
  return up_to != 0 && PredatesWatermark(MessageTime(m.server_time_ms, m.client_time_ms), up_to);
}

std::vector<ConversationRecord> MessageStore::ListConversations() {
  WriteConversations();
  Statement& s = conv_list_->Reset();
  std::vector<ConversationRecord> out;
  while (s.Step()) out.push_back(ReadConversation(s));
  return out;
}

uint64_t MessageStore::TotalUnread() {
  WriteConversations();
  Statement& s = total_unread_->Reset();
  const int64_t total = s.Step() ? s.Int(0) : 0;
  s.Reset();
  return static_cast<uint64_t>(total);
}

}  // namespace timd::store
