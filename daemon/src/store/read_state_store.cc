#include "store/read_state_store.h"

namespace timd::store {
namespace {

constexpr const char* kReadColumns = "SELECT msg_id, raw_id, body, elems, conv_seq, server_time_ms, is_from_self ";

ReadMessage ReadRow(const Statement& s) {
  return ReadMessage{s.Text(0), s.Text(1), s.Text(2), s.Blob(3), s.Int(4), s.Int(5), s.Int(6) != 0};
}

std::optional<ReadMessage> First(Statement& s) {
  std::optional<ReadMessage> m;
  if (s.Step()) m = ReadRow(s);
  s.Reset();
  return m;
}

}  // namespace

ReadStateStore::ReadStateStore(Database& db) : db_(db) {
  sqlite3* h = db.handle();
  const std::string in_conv = "WHERE conv_type = ?1 AND conv_id = ?2 ";
  const std::string unread = "AND conv_seq <= ?3 AND is_from_self = 0 AND is_read = 0";
  mark_read_ = std::make_unique<Statement>(h, "UPDATE messages SET is_read = 1 " + in_conv + unread + " AND no_unread = 0");
  mark_read_uncounted_ = std::make_unique<Statement>(h, "UPDATE messages SET is_read = 1 " + in_conv + unread);
  unread_own_ = std::make_unique<Statement>(
      h, kReadColumns + ("FROM messages " + in_conv) +
             "AND conv_seq <= ?3 AND is_from_self = 1 AND is_peer_read = 0 ORDER BY conv_seq");
  mark_peer_read_ = std::make_unique<Statement>(
      h, "UPDATE messages SET is_peer_read = 1 " + in_conv + "AND conv_seq <= ?3 AND is_from_self = 1");
  markable_ = std::make_unique<Statement>(
      h, kReadColumns + ("FROM messages " + in_conv) +
             "AND conv_seq <= ?3 AND is_from_self = 0 AND markable = 1 ORDER BY conv_seq DESC LIMIT 1");
  referenced_ = std::make_unique<Statement>(
      h, kReadColumns + ("FROM messages " + in_conv) +
             "AND (raw_id = ?3 OR origin_id = ?3 OR msg_id = ?3) ORDER BY conv_seq DESC LIMIT 1");
  newest_stanza_id_ = std::make_unique<Statement>(
      h, "SELECT sid_own FROM messages " + in_conv +
             "AND conv_seq <= ?3 AND is_from_self = 0 AND sid_own <> '' ORDER BY conv_seq DESC LIMIT 1");
  by_stanza_id_ =
      std::make_unique<Statement>(h, kReadColumns + ("FROM messages " + in_conv) + "AND sid_own = ?3 LIMIT 1");
  seq_at_ = std::make_unique<Statement>(
      h, "SELECT COALESCE(MAX(conv_seq), 0) FROM messages " + in_conv + "AND server_time_ms <= ?3");
}

ReadStateStore::~ReadStateStore() = default;

int64_t ReadStateStore::MarkRead(const std::string& conv_id, int conv_type, int64_t up_to_seq) {
  db_.Touch();
  mark_read_->Bind(1, conv_type).Bind(2, conv_id).Bind(3, up_to_seq).Run();
  const int64_t counted = sqlite3_changes(db_.handle());
  // What is left never counted (MessageRecord::no_unread): read now, not counted.
  mark_read_uncounted_->Bind(1, conv_type).Bind(2, conv_id).Bind(3, up_to_seq).Run();
  return counted;
}

std::vector<ReadMessage> ReadStateStore::MarkPeerRead(const std::string& conv_id, int conv_type,
                                                      int64_t up_to_seq) {
  std::vector<ReadMessage> newly;
  Statement& s = unread_own_->Bind(1, conv_type).Bind(2, conv_id).Bind(3, up_to_seq);
  while (s.Step()) newly.push_back(ReadRow(s));
  s.Reset();
  if (newly.empty()) return newly;
  db_.Touch();
  mark_peer_read_->Bind(1, conv_type).Bind(2, conv_id).Bind(3, newly.back().conv_seq).Run();
  return newly;
}

std::optional<ReadMessage> ReadStateStore::NewestMarkable(const std::string& conv_id, int conv_type,
                                                          int64_t up_to_seq) {
  return First(markable_->Bind(1, conv_type).Bind(2, conv_id).Bind(3, up_to_seq));
}

std::optional<ReadMessage> ReadStateStore::FindReferenced(const std::string& conv_id, int conv_type,
                                                          const std::string& id) {
  return First(referenced_->Bind(1, conv_type).Bind(2, conv_id).Bind(3, id));
}

std::string ReadStateStore::NewestReceivedStanzaId(const std::string& conv_id, int conv_type, int64_t up_to_seq) {
  Statement& s = newest_stanza_id_->Bind(1, conv_type).Bind(2, conv_id).Bind(3, up_to_seq);
  std::string stanza_id = s.Step() ? s.Text(0) : "";
  s.Reset();
  return stanza_id;
}

std::optional<ReadMessage> ReadStateStore::FindByOwnStanzaId(const std::string& conv_id, int conv_type,
                                                             const std::string& stanza_id) {
  return First(by_stanza_id_->Bind(1, conv_type).Bind(2, conv_id).Bind(3, stanza_id));
}

int64_t ReadStateStore::SeqAtOrBefore(const std::string& conv_id, int conv_type, int64_t time_ms) {
  Statement& s = seq_at_->Bind(1, conv_type).Bind(2, conv_id).Bind(3, time_ms);
  const int64_t seq = s.Step() ? s.Int(0) : 0;
  s.Reset();
  return seq;
}

}  // namespace timd::store
