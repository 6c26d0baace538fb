// Versioned schema migrations. The schema version is kept in PRAGMA
// user_version; step N (1-based) upgrades version N-1 to N. Append new steps
// at the end, never edit a released one.
#include <array>
#include <string>

#include "store/database.h"
#include "store/msg_key.h"

namespace timd::store {
namespace {

// timd_msg_key(text): MsgKeyOf() for SQL, to fill msg_key in v3.
void MsgKeyFunction(sqlite3_context* context, int, sqlite3_value** argv) {
  const auto* text = reinterpret_cast<const char*>(sqlite3_value_text(argv[0]));
  const int size = sqlite3_value_bytes(argv[0]);
  sqlite3_result_int64(context, MsgKeyOf(std::string_view(text ? text : "", text ? static_cast<size_t>(size) : 0)));
}

constexpr std::array<std::string_view, 13> kSteps = {
    // v1: initial schema.
    R"sql(
CREATE TABLE messages (
  rowid INTEGER PRIMARY KEY,
  msg_id TEXT NOT NULL UNIQUE,
  conv_id TEXT NOT NULL,
  conv_type INTEGER NOT NULL,
  sender TEXT NOT NULL,
  is_from_self INTEGER NOT NULL DEFAULT 0,
  body TEXT NOT NULL DEFAULT '',
  elems BLOB,
  server_time_ms INTEGER NOT NULL DEFAULT 0,
  client_time_ms INTEGER NOT NULL DEFAULT 0,
  status INTEGER NOT NULL DEFAULT 0,
  is_read INTEGER NOT NULL DEFAULT 0,
  sid_own TEXT NOT NULL DEFAULT '',
  origin_id TEXT NOT NULL DEFAULT '',
  raw_id TEXT NOT NULL DEFAULT '',
  conv_seq INTEGER NOT NULL
);
CREATE UNIQUE INDEX messages_sid_own ON messages(sid_own) WHERE sid_own <> '';
CREATE UNIQUE INDEX messages_origin_id ON messages(sender, origin_id) WHERE origin_id <> '';
CREATE UNIQUE INDEX messages_raw_id ON messages(sender, raw_id)
  WHERE raw_id <> '' AND origin_id = '' AND sid_own = '';
CREATE INDEX messages_conv_seq ON messages(conv_type, conv_id, conv_seq);

CREATE TABLE conversations (
  conv_id TEXT NOT NULL,
  conv_type INTEGER NOT NULL,
  last_msg_rowid INTEGER NOT NULL DEFAULT 0,
  unread INTEGER NOT NULL DEFAULT 0,
  active_time_ms INTEGER NOT NULL DEFAULT 0,
  next_seq INTEGER NOT NULL,
  PRIMARY KEY (conv_type, conv_id)
) WITHOUT ROWID;

CREATE TABLE journal (
  seq INTEGER PRIMARY KEY,
  kind INTEGER NOT NULL,
  time_ms INTEGER NOT NULL,
  payload BLOB NOT NULL
);
)sql",
    // v2: key/value settings (sync cursors, login state) and the outbox index.
    R"sql(
CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX messages_status ON messages(status) WHERE status = 1;
)sql",
    // v3: copies of a message are matched through msg_id alone (see
    // message_store.h), and msg_id is indexed by its 64-bit key (msg_key.h)
    // instead of by its text; the per-id-kind unique indexes go. The UNIQUE
    // constraint on msg_id is part of the v1 table, so the table is rebuilt.
    R"sql(
CREATE TABLE messages_v3 (
  rowid INTEGER PRIMARY KEY,
  msg_id TEXT NOT NULL,
  msg_key INTEGER NOT NULL,
  conv_id TEXT NOT NULL,
  conv_type INTEGER NOT NULL,
  sender TEXT NOT NULL,
  is_from_self INTEGER NOT NULL DEFAULT 0,
  body TEXT NOT NULL DEFAULT '',
  elems BLOB,
  server_time_ms INTEGER NOT NULL DEFAULT 0,
  client_time_ms INTEGER NOT NULL DEFAULT 0,
  status INTEGER NOT NULL DEFAULT 0,
  is_read INTEGER NOT NULL DEFAULT 0,
  sid_own TEXT NOT NULL DEFAULT '',
  origin_id TEXT NOT NULL DEFAULT '',
  raw_id TEXT NOT NULL DEFAULT '',
  conv_seq INTEGER NOT NULL
);
INSERT INTO messages_v3(rowid, msg_id, msg_key, conv_id, conv_type, sender, is_from_self, body, elems,
                        server_time_ms, client_time_ms, status, is_read, sid_own, origin_id, raw_id, conv_seq)
  SELECT rowid, msg_id, timd_msg_key(msg_id), conv_id, conv_type, sender, is_from_self, body, elems,
         server_time_ms, client_time_ms, status, is_read, sid_own, origin_id, raw_id, conv_seq FROM messages;
DROP TABLE messages;
ALTER TABLE messages_v3 RENAME TO messages;
CREATE INDEX messages_msg_key ON messages(msg_key);
CREATE INDEX messages_conv_seq ON messages(conv_type, conv_id, conv_seq);
CREATE INDEX messages_status ON messages(status) WHERE status = 1;
)sql",
    // v4: msg_id lookups go through MsgIdIndex (msg_id_index.h): a write
    // buffer in memory for the rows above the watermark, msg_keys below it.
    R"sql(
CREATE TABLE msg_keys (
  msg_key INTEGER NOT NULL,
  msg_rowid INTEGER NOT NULL,
  PRIMARY KEY (msg_key, msg_rowid)
) WITHOUT ROWID;
INSERT INTO msg_keys(msg_key, msg_rowid) SELECT msg_key, rowid FROM messages ORDER BY msg_key, rowid;
CREATE TABLE msg_keys_state (
  id INTEGER PRIMARY KEY CHECK (id = 0),
  watermark INTEGER NOT NULL
);
INSERT INTO msg_keys_state(id, watermark) SELECT 0, COALESCE(MAX(rowid), 0) FROM messages;
DROP INDEX messages_msg_key;
)sql",
    // v5: peers' XEP-0115 capabilities, once their hash verified: the
    // disco#info behind each ver (see caps_store.h).
    R"sql(
CREATE TABLE caps (
  ver TEXT PRIMARY KEY,
  node TEXT NOT NULL,
  identities TEXT NOT NULL,
  verified_ms INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE caps_features (
  ver TEXT NOT NULL,
  feature TEXT NOT NULL,
  PRIMARY KEY (ver, feature)
) WITHOUT ROWID;
)sql",
    // v6: read state (read_state_store.h): whether a received message asked
    // for XEP-0333 markers, and whether the peer displayed an own message.
    R"sql(
ALTER TABLE messages ADD COLUMN markable INTEGER NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN is_peer_read INTEGER NOT NULL DEFAULT 0;
)sql",
    // v7: XEP-0424 retractions that arrived before the message they retract
    // (see retraction_tombstones.h).
    R"sql(
CREATE TABLE retraction_tombstones (
  sender TEXT NOT NULL,
  raw_id TEXT NOT NULL,
  received_ms INTEGER NOT NULL,
  PRIMARY KEY (sender, raw_id)
) WITHOUT ROWID;
)sql",
    // v8: conversation attributes, local to this daemon (message_store.h):
    // the time up to which a deleted conversation stays deleted, pin,
    // draft (a serialized tim.v1.Draft), mark bits and custom data.
    R"sql(
ALTER TABLE conversations ADD COLUMN deleted_up_to_ms INTEGER NOT NULL DEFAULT 0;
ALTER TABLE conversations ADD COLUMN is_pinned INTEGER NOT NULL DEFAULT 0;
ALTER TABLE conversations ADD COLUMN draft BLOB NOT NULL DEFAULT x'';
ALTER TABLE conversations ADD COLUMN marks INTEGER NOT NULL DEFAULT 0;
ALTER TABLE conversations ADD COLUMN custom_data BLOB NOT NULL DEFAULT x'';
)sql",
    // v9: message history and search (history_store.h, search_store.h):
    // local custom data per message (TIMMsgSetLocalCustomData), per
    // conversation the time up to which its history was cleared
    // (TIMMsgClearHistoryMessage), and a full-text index of message bodies
    // (TIMMsgSearchLocalMessages) that triggers keep in step with every
    // insert, change and deletion of a body.
    R"sql(
ALTER TABLE messages ADD COLUMN custom_int INTEGER NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN custom_str TEXT NOT NULL DEFAULT '';
CREATE TABLE history_cleared (
  conv_type INTEGER NOT NULL,
  conv_id TEXT NOT NULL,
  cleared_ms INTEGER NOT NULL,
  PRIMARY KEY (conv_type, conv_id)
) WITHOUT ROWID;
CREATE VIRTUAL TABLE message_fts USING fts5(body, content='messages', content_rowid='rowid', tokenize='trigram');
INSERT INTO message_fts(rowid, body) SELECT rowid, body FROM messages WHERE body <> '';
CREATE TRIGGER message_fts_insert AFTER INSERT ON messages WHEN new.body <> '' BEGIN
  INSERT INTO message_fts(rowid, body) VALUES (new.rowid, new.body);
END;
CREATE TRIGGER message_fts_update AFTER UPDATE OF body ON messages BEGIN
  INSERT INTO message_fts(message_fts, rowid, body) SELECT 'delete', old.rowid, old.body WHERE old.body <> '';
  INSERT INTO message_fts(rowid, body) SELECT new.rowid, new.body WHERE new.body <> '';
END;
CREATE TRIGGER message_fts_delete AFTER DELETE ON messages WHEN old.body <> '' BEGIN
  INSERT INTO message_fts(message_fts, rowid, body) VALUES ('delete', old.rowid, old.body);
END;
)sql",
    // v10: TIMConvCreate (conversation_create.h): when the app created a
    // conversation that has no message (0 = never, or deleted since).
    R"sql(
ALTER TABLE conversations ADD COLUMN created_ms INTEGER NOT NULL DEFAULT 0;
)sql",
    // v11: message_is_excluded_from_unread_count and online-only messages:
    // messages that never count as unread.
    R"sql(
ALTER TABLE messages ADD COLUMN no_unread INTEGER NOT NULL DEFAULT 0;
)sql",
    // v12: is_ramble history (archived_edit_store.h): archived retractions
    // and corrections waiting for an older page, kept across restarts.
    R"sql(
CREATE TABLE archived_edits (
  id INTEGER PRIMARY KEY,
  owner TEXT NOT NULL,
  conv_type INTEGER NOT NULL,
  conv_id TEXT NOT NULL,
  is_correction INTEGER NOT NULL,
  target_id TEXT NOT NULL,
  sender TEXT NOT NULL,
  sender_full TEXT NOT NULL,
  to_jid TEXT NOT NULL,
  edit_id TEXT NOT NULL,
  stanza_id TEXT NOT NULL,
  delay_ms INTEGER NOT NULL,
  is_own INTEGER NOT NULL,
  legacy INTEGER NOT NULL,
  origin_id TEXT NOT NULL,
  body TEXT NOT NULL,
  payload BLOB
);
CREATE INDEX archived_edits_by_conv ON archived_edits(conv_type, conv_id);
)sql",
    // v13: XEP-0184 delivery receipts (delivery_store.h): when the peer's
    // client confirmed an own message; 0 = not confirmed.
    R"sql(
ALTER TABLE messages ADD COLUMN delivered_ms INTEGER NOT NULL DEFAULT 0;
)sql",
};

}  // namespace

int Database::LatestSchemaVersion() { return static_cast<int>(kSteps.size()); }

void Database::Migrate() {
  const int current = schema_version();
  const int latest = LatestSchemaVersion();
  if (current > latest) {
    throw StoreError(SQLITE_ERROR, "schema version " + std::to_string(current) +
                                       " is newer than this timd supports (" + std::to_string(latest) +
                                       "); use a newer timd or another state file");
  }
  if (current < latest) {
    int rc = sqlite3_create_function_v2(db_, "timd_msg_key", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr,
                                        &MsgKeyFunction, nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) throw StoreError(rc, "cannot register timd_msg_key");
  }
  for (int version = current + 1; version <= latest; ++version) {
    Exec("BEGIN IMMEDIATE");
    try {
      Exec(kSteps[version - 1]);
      Exec("PRAGMA user_version = " + std::to_string(version));
      Exec("COMMIT");
    } catch (const StoreError& e) {
      if (!sqlite3_get_autocommit(db_)) Exec("ROLLBACK");
      throw StoreError(e.sqlite_code(), "migration to schema v" + std::to_string(version) + " failed: " + e.what());
    }
  }
}

}  // namespace timd::store
