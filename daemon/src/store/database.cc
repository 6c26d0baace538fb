#include "store/database.h"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <mutex>

namespace timd::store {
namespace {

[[noreturn]] void Throw(sqlite3* db, int code, std::string_view context) {
  std::string what(context);
  what += ": ";
  what += db ? sqlite3_errmsg(db) : sqlite3_errstr(code);
  throw StoreError(code, what);
}

// An empty string_view may carry a null data pointer, which SQLite would
// bind as NULL rather than ''.
const char* NonNull(std::string_view v) { return v.data() ? v.data() : ""; }

// WAL size (bytes) at which a commit checkpoints it into the database.
constexpr int64_t kCheckpointBytes = int64_t{32} << 20;

}  // namespace

// --- Statement ---------------------------------------------------------------

Statement::Statement(sqlite3* db, std::string_view sql) : db_(db) {
  int rc = sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                              &stmt_, nullptr);
  if (rc != SQLITE_OK) Throw(db, rc, "prepare '" + std::string(sql) + "'");
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

Statement& Statement::Reset() {
  sqlite3_reset(stmt_);
  active_ = false;
  return *this;
}

Statement& Statement::Bind(int index, int64_t value) {
  if (active_) Reset();
  int rc = sqlite3_bind_int64(stmt_, index, value);
  if (rc != SQLITE_OK) Throw(db_, rc, "bind");
  return *this;
}

Statement& Statement::Bind(int index, std::string_view value) {
  if (active_) Reset();
  int rc = sqlite3_bind_text(stmt_, index, NonNull(value), static_cast<int>(value.size()), SQLITE_TRANSIENT);
  if (rc != SQLITE_OK) Throw(db_, rc, "bind");
  return *this;
}

Statement& Statement::BindBlob(int index, std::string_view value) {
  if (active_) Reset();
  int rc = sqlite3_bind_blob(stmt_, index, NonNull(value), static_cast<int>(value.size()), SQLITE_TRANSIENT);
  if (rc != SQLITE_OK) Throw(db_, rc, "bind");
  return *this;
}

Statement& Statement::BindNull(int index) {
  if (active_) Reset();
  int rc = sqlite3_bind_null(stmt_, index);
  if (rc != SQLITE_OK) Throw(db_, rc, "bind");
  return *this;
}

bool Statement::Step() {
  active_ = true;
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  // Reset at once so a finished statement holds no read transaction open.
  sqlite3_reset(stmt_);
  active_ = false;
  if (rc == SQLITE_DONE) return false;
  Throw(db_, rc, std::string("step '") + sqlite3_sql(stmt_) + "'");
}

void Statement::Run() {
  while (Step()) {
  }
}

int64_t Statement::Int(int column) const { return sqlite3_column_int64(stmt_, column); }

std::string Statement::Text(int column) const {
  auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  return p ? std::string(p, sqlite3_column_bytes(stmt_, column)) : std::string();
}

std::string Statement::Blob(int column) const {
  auto* p = static_cast<const char*>(sqlite3_column_blob(stmt_, column));
  return p ? std::string(p, sqlite3_column_bytes(stmt_, column)) : std::string();
}

bool Statement::IsNull(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }

// --- Database ----------------------------------------------------------------

Result<std::unique_ptr<Database>> Database::Open(const std::string& path) {
  // Create the file ourselves so it never exists with a wider mode; tighten
  // an existing file too.
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    return Status(Code::kUnavailable, tim_err::kDatabaseFailure,
                  "cannot open database " + path + ": " + std::strerror(errno));
  }
  int chmod_rc = ::fchmod(fd, 0600);
  int chmod_errno = errno;
  ::close(fd);
  if (chmod_rc != 0) {
    return Status(Code::kUnavailable, tim_err::kDatabaseFailure,
                  "cannot chmod database " + path + ": " + std::strerror(chmod_errno));
  }

  // Before SQLite initializes: no global memory statistics, which would take
  // a process-wide mutex in every sqlite3_malloc and sqlite3_free.
  static std::once_flag configured;
  std::call_once(configured, [] { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });

  sqlite3* handle = nullptr;
  // NOMUTEX: the connection is only ever used from the loop thread.
  int rc = sqlite3_open_v2(path.c_str(), &handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = handle ? sqlite3_errmsg(handle) : sqlite3_errstr(rc);
    sqlite3_close_v2(handle);
    return Status(Code::kUnavailable, tim_err::kDatabaseFailure, "cannot open database " + path + ": " + msg);
  }
  std::unique_ptr<Database> db(new Database(handle));
  try {
    db->Configure(path);
    db->Migrate();
  } catch (const StoreError& e) {
    return Status(Code::kFailedPrecondition, tim_err::kDatabaseFailure,
                  "database " + path + ": " + e.what());
  }
  return db;
}

void Database::Configure(const std::string& path) {
  sqlite3_busy_timeout(db_, 5000);
  // Takes effect only while the file is still empty (before WAL mode is
  // set); older files keep their 4 KiB pages. Measured by store_bench: 8 KiB
  // pages cost about 10% less per stored message (fewer WAL frames, each a
  // write(2) of its own, for the same appended rows); 16 KiB gain no more.
  Exec("PRAGMA page_size=8192");
  {
    Statement wal(db_, "PRAGMA journal_mode=WAL");
    if (!wal.Step() || wal.Text(0) != "wal") {
      spdlog::warn("store: WAL journal mode unavailable for {}", path);
    }
    wal.Reset();
  }
  // WAL + FULL: every COMMIT fsyncs the WAL, so what timd acknowledges (to
  // the server, an app or a subscriber) survives power loss, and a seq is
  // never handed out twice. NORMAL would lose the last commits on power
  // loss. The group commit keeps this to one fsync per batch.
  Exec("PRAGMA synchronous=FULL");
  Exec("PRAGMA foreign_keys=ON");
  Exec("PRAGMA temp_store=MEMORY");
  Exec("PRAGMA cache_size=-16384");  // 16 MiB of page cache
  // Fewer, larger checkpoints: each one costs an fsync, and pages written
  // by many small commits are copied into the database only once.
  Statement page_size(db_, "PRAGMA page_size");
  const int64_t page_bytes = page_size.Step() ? std::max<int64_t>(page_size.Int(0), 512) : 4096;
  Exec("PRAGMA wal_autocheckpoint=" + std::to_string(kCheckpointBytes / page_bytes));
  Exec("PRAGMA journal_size_limit=67108864");
  // SQLite gives -wal/-shm the main file's mode; enforce it anyway in case
  // they were left behind by an earlier, looser configuration.
  for (const char* suffix : {"-wal", "-shm"}) {
    std::string side = path + suffix;
    if (::chmod(side.c_str(), 0600) != 0 && errno != ENOENT) {
      spdlog::warn("store: cannot chmod {}: {}", side, std::strerror(errno));
    }
  }
  begin_ = std::make_unique<Statement>(db_, "BEGIN IMMEDIATE");
  commit_ = std::make_unique<Statement>(db_, "COMMIT");
  rollback_ = std::make_unique<Statement>(db_, "ROLLBACK");
}

Database::~Database() {
  if (in_batch_) {
    try {
      Commit();
    } catch (const StoreError& e) {
      spdlog::error("store: final commit failed: {}", e.what());
    }
  }
  begin_.reset();
  commit_.reset();
  rollback_.reset();
  sqlite3_close_v2(db_);
}

int Database::schema_version() const {
  Statement s(db_, "PRAGMA user_version");
  return s.Step() ? static_cast<int>(s.Int(0)) : 0;
}

void Database::Exec(std::string_view sql) {
  std::string text(sql);
  char* err = nullptr;
  int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string what = err ? err : sqlite3_errstr(rc);
    sqlite3_free(err);
    throw StoreError(rc, what);
  }
}

void Database::Touch() {
  if (in_batch_) {
    if (!sqlite3_get_autocommit(db_)) return;
    // SQLite ended the transaction itself after an error (e.g. an I/O
    // error): what it held is gone. Start a new one rather than let later
    // writes autocommit one by one.
    in_batch_ = false;
    BatchLost(std::string("SQLite rolled the transaction back after an error: ") + sqlite3_errmsg(db_));
    if (in_batch_) return;  // a listener's write has begun the next batch
  }
  begin_->Run();
  in_batch_ = true;
}

void Database::Commit() {
  if (!in_batch_) return;
  try {
    for (auto& [handle, listener] : listeners_) {
      if (listener.before_commit) listener.before_commit();
    }
    in_batch_ = false;
    commit_->Run();
  } catch (const StoreError& e) {
    in_batch_ = false;
    // Roll back before the listeners learn of it, so their reaction (if
    // it writes) starts a fresh batch. SQLite may have rolled back itself
    // (SQLITE_FULL, SQLITE_IOERR, SQLITE_NOMEM); after SQLITE_BUSY the
    // transaction is still open.
    if (!sqlite3_get_autocommit(db_)) {
      try {
        rollback_->Run();
      } catch (const StoreError& rollback_error) {
        spdlog::error("store: rollback after a failed commit failed: {}", rollback_error.what());
      }
    }
    BatchLost(std::string("commit failed: ") + e.what());
    throw;
  }
}

void Database::Rollback() {
  if (!in_batch_) return;
  in_batch_ = false;
  // A failed statement (e.g. SQLITE_FULL) may have ended the transaction.
  if (!sqlite3_get_autocommit(db_)) {
    try {
      rollback_->Run();
    } catch (const StoreError& e) {
      BatchLost(std::string("rollback failed: ") + e.what());
      throw;
    }
  }
  BatchLost("rolled back");
}

bool Database::ReclaimWalSpace() {
  if (in_batch_) return false;
  if (sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_TRUNCATE, nullptr, nullptr) != SQLITE_OK) {
    spdlog::warn("store: cannot truncate the WAL: {}", sqlite3_errmsg(db_));
    return false;
  }
  return true;
}

void Database::BatchLost(std::string why) {
  loss_reason_ = std::move(why);
  for (auto& [handle, listener] : listeners_) {
    if (listener.after_rollback) listener.after_rollback();
  }
}

size_t Database::AddBatchListener(BatchListener listener) {
  listeners_.emplace(next_listener_, std::move(listener));
  return next_listener_++;
}

void Database::RemoveBatchListener(size_t handle) { listeners_.erase(handle); }

}  // namespace timd::store
