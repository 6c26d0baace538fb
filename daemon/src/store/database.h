// SQLite connection for the daemon's state file: WAL mode, file mode 0600,
// versioned migrations, prepared statements, and a write batch that groups
// every write of one loop turn into a single transaction.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace timd::store {

// A prepared statement; reset automatically on each Bind sequence.
class Statement {
 public:
  Statement(sqlite3* db, std::string_view sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& Reset();
  Statement& Bind(int index, int64_t value);
  Statement& Bind(int index, std::string_view value);  // TEXT
  Statement& BindBlob(int index, std::string_view value);
  Statement& BindNull(int index);

  // Returns true when a row is available; false when done. Errors throw
  // StoreError.
  bool Step();
  void Run();  // Step() until done

  int64_t Int(int column) const;
  std::string Text(int column) const;
  std::string Blob(int column) const;
  bool IsNull(int column) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
  bool active_ = false;  // stepped since the last reset
};

// Thrown for SQLite failures (disk full, I/O error, corruption). Callers at
// the domain boundary turn it into a Status with tim_err::kDatabaseFailure.
class StoreError : public std::runtime_error {
 public:
  StoreError(int sqlite_code, const std::string& what)
      : std::runtime_error(what), sqlite_code_(sqlite_code) {}
  int sqlite_code() const { return sqlite_code_; }

 private:
  int sqlite_code_;
};

class Database {
 public:
  // Opens (creating with mode 0600) and migrates to the latest schema.
  static Result<std::unique_ptr<Database>> Open(const std::string& path);
  ~Database();

  sqlite3* handle() { return db_; }
  int schema_version() const;
  static int LatestSchemaVersion();

  void Exec(std::string_view sql);

  // Write batching: Touch() opens a transaction if none is open; Commit()
  // commits it (the owner calls it once per loop turn). A failed commit is
  // rolled back and throws StoreError. Rollback() discards the open batch.
  // The destructor commits a batch still open.
  void Touch();
  void Commit();
  void Rollback();
  bool in_batch() const { return in_batch_; }

  // For writers that keep rows in memory between statements (MessageStore's
  // conversations): `before_commit` writes them out inside the batch at the
  // start of every Commit() (a StoreError from it fails the commit);
  // `after_rollback` runs whenever a batch's writes are lost (Rollback, a
  // failed commit, or SQLite ending the transaction after an error), so the
  // memory copy can be dropped. Returns a handle for RemoveBatchListener.
  struct BatchListener {
    std::function<void()> before_commit;
    std::function<void()> after_rollback;
  };
  size_t AddBatchListener(BatchListener listener);
  void RemoveBatchListener(size_t handle);
  // Why the last batch was lost, for after_rollback listeners.
  const std::string& loss_reason() const { return loss_reason_; }

  // Copies the WAL into the database and truncates it to zero bytes. The
  // WAL is checkpointed only once it reaches 32 MiB, so after a disk filled up
  // it may hold more space than the disk has free: without this, the next
  // writes would fill the disk again before any checkpoint. False (nothing
  // changed) inside a batch or when the checkpoint could not complete.
  bool ReclaimWalSpace();

 private:
  explicit Database(sqlite3* db) : db_(db) {}
  void Configure(const std::string& path);
  void Migrate();
  void BatchLost(std::string why);

  sqlite3* db_;
  bool in_batch_ = false;
  std::string loss_reason_;
  std::map<size_t, BatchListener> listeners_;
  size_t next_listener_ = 1;
  std::unique_ptr<Statement> begin_, commit_, rollback_;
};

}  // namespace timd::store
