#include "store/history_store.h"

#include "store/elem_type_filter.h"

namespace timd::store {
namespace {

// A message's time: its server time, else (an own message not yet sent) its client time.
constexpr const char* kTime = "(CASE WHEN server_time_ms <> 0 THEN server_time_ms ELSE client_time_ms END)";

std::string InConversation(const std::string& rest) {
  return "WHERE conv_type = ?1 AND conv_id = ?2 AND status <> 4 " + rest;
}

std::vector<MessageRecord> All(Statement& s) {
  std::vector<MessageRecord> out;
  while (s.Step()) out.push_back(MessageStore::ReadRecord(s));
  return out;
}

std::optional<MessageRecord> First(Statement& s) {
  std::optional<MessageRecord> m;
  if (s.Step()) m = MessageStore::ReadRecord(s);
  s.Reset();
  return m;
}

}  // namespace

HistoryStore::HistoryStore(MessageStore& messages) : db_(messages.database()) {
  sqlite3* h = db_.handle();
  const std::string range = std::string(" AND ") + kTime + " BETWEEN ?4 AND ?5 ";
  backward_ = std::make_unique<Statement>(
      h, MessageStore::SelectMessages(InConversation("AND conv_seq < ?3" + range + "ORDER BY conv_seq DESC LIMIT ?6")));
  forward_ = std::make_unique<Statement>(
      h, MessageStore::SelectMessages(InConversation("AND conv_seq > ?3" + range + "ORDER BY conv_seq ASC LIMIT ?6")));
  by_seq_ = std::make_unique<Statement>(h, MessageStore::SelectMessages(InConversation("AND conv_seq = ?3")));
  in_range_ = std::make_unique<Statement>(
      h, MessageStore::SelectMessages(InConversation(std::string("AND ") + kTime +
                                                     " BETWEEN ?3 AND ?4 ORDER BY conv_seq LIMIT 100")));
  newest_ = std::make_unique<Statement>(
      h, MessageStore::SelectMessages(InConversation("ORDER BY conv_seq DESC LIMIT 1")));
  unread_ = std::make_unique<Statement>(
      h, "SELECT COUNT(*) FROM messages " + InConversation("AND is_from_self = 0 AND is_read = 0 AND no_unread = 0"));
  mark_deleted_ = std::make_unique<Statement>(h, std::string(kMakeDeletedRows) + "WHERE rowid = ?");
  clear_ = std::make_unique<Statement>(h, kMakeDeletedRows + InConversation(""));
  set_cleared_ = std::make_unique<Statement>(
      h, "INSERT INTO history_cleared(conv_type, conv_id, cleared_ms) VALUES(?1, ?2, ?3) "
         "ON CONFLICT(conv_type, conv_id) DO UPDATE SET cleared_ms = MAX(cleared_ms, excluded.cleared_ms)");
  cleared_at_ = std::make_unique<Statement>(
      h, "SELECT cleared_ms FROM history_cleared WHERE conv_type = ?1 AND conv_id = ?2");
  set_custom_ = std::make_unique<Statement>(h, "UPDATE messages SET custom_int = ?, custom_str = ? WHERE rowid = ?");
}

HistoryStore::~HistoryStore() = default;

std::vector<MessageRecord> HistoryStore::Page(const HistoryPage& page) {
  const int64_t anchor = page.anchor_seq != 0 ? page.anchor_seq : page.forward ? 0 : INT64_MAX;
  // A type filter is rare: its statement is prepared per call.
  std::unique_ptr<Statement> typed;
  if (page.elem_type_mask != 0) {
    typed = std::make_unique<Statement>(
        db_.handle(), MessageStore::SelectMessages(InConversation(
                          std::string(page.forward ? "AND conv_seq > ?3" : "AND conv_seq < ?3") + " AND " + kTime +
                          " BETWEEN ?4 AND ?5" + ElemTypeCondition(page.elem_type_mask) + " ORDER BY conv_seq " +
                          (page.forward ? "ASC" : "DESC") + " LIMIT ?6")));
  }
  Statement& s = typed ? *typed : page.forward ? *forward_ : *backward_;
  return All(s.Bind(1, page.conv_type)
                 .Bind(2, page.conv_id)
                 .Bind(3, anchor)
                 .Bind(4, page.from_ms)
                 .Bind(5, page.to_ms)
                 .Bind(6, page.limit));
}

std::optional<MessageRecord> HistoryStore::FindBySeq(const std::string& conv_id, int conv_type, int64_t seq) {
  return First(by_seq_->Bind(1, conv_type).Bind(2, conv_id).Bind(3, seq));
}

std::vector<MessageRecord> HistoryStore::InTimeRange(const std::string& conv_id, int conv_type, int64_t from_ms,
                                                     int64_t to_ms) {
  return All(in_range_->Bind(1, conv_type).Bind(2, conv_id).Bind(3, from_ms).Bind(4, to_ms));
}

std::optional<MessageRecord> HistoryStore::Newest(const std::string& conv_id, int conv_type) {
  return First(newest_->Bind(1, conv_type).Bind(2, conv_id));
}

int64_t HistoryStore::CountUnread(const std::string& conv_id, int conv_type) {
  Statement& s = unread_->Bind(1, conv_type).Bind(2, conv_id);
  const int64_t count = s.Step() ? s.Int(0) : 0;
  s.Reset();
  return count;
}

void HistoryStore::MarkDeleted(int64_t rowid) {
  db_.Touch();
  mark_deleted_->Bind(1, rowid).Run();
}

void HistoryStore::Clear(const std::string& conv_id, int conv_type, int64_t now_ms) {
  db_.Touch();
  clear_->Bind(1, conv_type).Bind(2, conv_id).Run();
  set_cleared_->Bind(1, conv_type).Bind(2, conv_id).Bind(3, now_ms).Run();
}

int64_t HistoryStore::ClearedAtMs(const std::string& conv_id, int conv_type) {
  Statement& s = cleared_at_->Bind(1, conv_type).Bind(2, conv_id);
  const int64_t at = s.Step() ? s.Int(0) : 0;
  s.Reset();
  return at;
}

void HistoryStore::SetLocalCustomData(int64_t rowid, int64_t custom_int, const std::string& custom_str) {
  db_.Touch();
  set_custom_->Bind(1, custom_int).Bind(2, custom_str).Bind(3, rowid).Run();
}

}  // namespace timd::store
