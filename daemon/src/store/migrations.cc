// Versioned schema migrations. The schema version is kept in PRAGMA
// user_version; step N (1-based) upgrades version N-1 to N. Append new steps
// at the end, never edit a released one.
#include <array>
#include <string>

#include "store/database.h"

namespace timd::store {
namespace {

constexpr std::array<std::string_view, 3> kSteps = {
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
    // message_store.h); the per-id-kind unique indexes only cost WAL pages.
    R"sql(
DROP INDEX messages_sid_own;
DROP INDEX messages_origin_id;
DROP INDEX messages_raw_id;
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
