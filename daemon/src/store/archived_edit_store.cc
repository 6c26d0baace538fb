#include "store/archived_edit_store.h"

namespace timd::store {

ArchivedEditStore::ArchivedEditStore(Database& db) : db_(db) {
  sqlite3* h = db.handle();
  add_ = std::make_unique<Statement>(
      h,
      "INSERT INTO archived_edits(owner, conv_type, conv_id, is_correction, target_id, sender, sender_full, to_jid, "
      "edit_id, stanza_id, delay_ms, is_own, legacy, origin_id, body, payload) "
      "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)");
  remove_ = std::make_unique<Statement>(h, "DELETE FROM archived_edits WHERE id = ?");
  list_ = std::make_unique<Statement>(
      h,
      "SELECT id, is_correction, target_id, sender, sender_full, to_jid, edit_id, stanza_id, delay_ms, is_own, legacy, "
      "origin_id, body, payload FROM archived_edits WHERE owner = ? AND conv_type = ? AND conv_id = ? ORDER BY id");
  forget_ = std::make_unique<Statement>(h, "DELETE FROM archived_edits WHERE conv_type = ? AND conv_id = ?");
}

ArchivedEditStore::~ArchivedEditStore() = default;

int64_t ArchivedEditStore::Add(const std::string& owner, const std::string& conv_id, int conv_type,
                               const ArchivedEdit& edit) {
  db_.Touch();
  add_->Bind(1, owner)
      .Bind(2, conv_type)
      .Bind(3, conv_id)
      .Bind(4, edit.is_correction ? 1 : 0)
      .Bind(5, edit.target_id)
      .Bind(6, edit.sender)
      .Bind(7, edit.sender_full)
      .Bind(8, edit.to)
      .Bind(9, edit.edit_id)
      .Bind(10, edit.stanza_id)
      .Bind(11, edit.delay_ms)
      .Bind(12, edit.is_own ? 1 : 0)
      .Bind(13, edit.legacy ? 1 : 0)
      .Bind(14, edit.origin_id)
      .Bind(15, edit.body)
      .BindBlob(16, edit.payload)
      .Run();
  return sqlite3_last_insert_rowid(db_.handle());
}

void ArchivedEditStore::Remove(int64_t id) {
  db_.Touch();
  remove_->Bind(1, id).Run();
}

std::vector<ArchivedEdit> ArchivedEditStore::List(const std::string& owner, const std::string& conv_id,
                                                  int conv_type) {
  Statement& s = list_->Bind(1, owner).Bind(2, conv_type).Bind(3, conv_id);
  std::vector<ArchivedEdit> edits;
  while (s.Step()) {
    ArchivedEdit& e = edits.emplace_back();
    e.id = s.Int(0);
    e.is_correction = s.Int(1) != 0;
    e.target_id = s.Text(2);
    e.sender = s.Text(3);
    e.sender_full = s.Text(4);
    e.to = s.Text(5);
    e.edit_id = s.Text(6);
    e.stanza_id = s.Text(7);
    e.delay_ms = s.Int(8);
    e.is_own = s.Int(9) != 0;
    e.legacy = s.Int(10) != 0;
    e.origin_id = s.Text(11);
    e.body = s.Text(12);
    e.payload = s.Blob(13);
  }
  s.Reset();
  return edits;
}

void ArchivedEditStore::Forget(const std::string& conv_id, int conv_type) {
  db_.Touch();
  forget_->Bind(1, conv_type).Bind(2, conv_id).Run();
}

}  // namespace timd::store
