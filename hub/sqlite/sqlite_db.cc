#include "hub/sqlite/sqlite_db.h"

#include <string>
#include <system_error>
#include <utility>

namespace hub::sqlite {
namespace {

Status StatusFor(int code, std::string_view what, const char* detail) {
  std::string msg = std::string(what) + ": " + (detail != nullptr ? detail : sqlite3_errstr(code));
  switch (code & 0xff) {
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return Status::Corruption(std::move(msg));
    case SQLITE_FULL:
      return Status::ResourceExhausted(std::move(msg));
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
      return Status::IOError(std::move(msg));
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Status::Unavailable(std::move(msg));
    case SQLITE_CONSTRAINT:
      return Status::AlreadyExists(std::move(msg));
    default:
      return Status::Internal(std::move(msg));
  }
}

}  // namespace

Result<SqliteDb> SqliteDb::Open(const std::filesystem::path& path, const std::string& vfs) {
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                           vfs.empty() ? nullptr : vfs.c_str());
  SqliteDb db(raw);  // owns raw even on failure, so it is closed
  if (rc != SQLITE_OK) {
    return StatusFor(rc, "open " + path.string(), raw != nullptr ? sqlite3_errmsg(raw) : nullptr);
  }
  sqlite3_extended_result_codes(raw, 1);
  sqlite3_busy_timeout(raw, 5000);
  return db;
}

Result<SqliteDb> SqliteDb::OpenReadOnly(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return Status::NotFound("open " + path.string() + ": no such database file");
  }
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX,
                           nullptr);
  SqliteDb db(raw);
  if (rc != SQLITE_OK) {
    return StatusFor(rc, "open " + path.string(), raw != nullptr ? sqlite3_errmsg(raw) : nullptr);
  }
  sqlite3_extended_result_codes(raw, 1);
  sqlite3_busy_timeout(raw, 5000);
  return db;
}

SqliteDb::~SqliteDb() {
  if (db_ != nullptr) {
    sqlite3_close_v2(db_);
  }
}

SqliteDb::SqliteDb(SqliteDb&& other) noexcept : db_(std::exchange(other.db_, nullptr)) {}

SqliteDb& SqliteDb::operator=(SqliteDb&& other) noexcept {
  if (this != &other) {
    if (db_ != nullptr) {
      sqlite3_close_v2(db_);
    }
    db_ = std::exchange(other.db_, nullptr);
  }
  return *this;
}

Status SqliteDb::Exec(std::string_view sql) {
  std::string text(sql);
  char* err = nullptr;
  int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    Status s = StatusFor(rc, "sqlite exec", err);
    sqlite3_free(err);
    return s;
  }
  return Status::Ok();
}

Result<SqliteStatement> SqliteDb::Prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) {
    return LastError("prepare");
  }
  return SqliteStatement(stmt, db_);
}

Result<int64_t> SqliteDb::QueryInt(std::string_view sql) {
  HUB_ASSIGN_OR_RETURN(SqliteStatement stmt, Prepare(sql));
  HUB_ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) {
    return Status::NotFound("query returned no row");
  }
  return stmt.ColumnInt(0);
}

Result<std::string> SqliteDb::QueryText(std::string_view sql) {
  HUB_ASSIGN_OR_RETURN(SqliteStatement stmt, Prepare(sql));
  HUB_ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) {
    return Status::NotFound("query returned no row");
  }
  return stmt.ColumnText(0);
}

Result<CheckpointResult> SqliteDb::Checkpoint(CheckpointMode mode) {
  int sqlite_mode = SQLITE_CHECKPOINT_PASSIVE;
  switch (mode) {
    case CheckpointMode::kPassive:
      sqlite_mode = SQLITE_CHECKPOINT_PASSIVE;
      break;
    case CheckpointMode::kFull:
      sqlite_mode = SQLITE_CHECKPOINT_FULL;
      break;
    case CheckpointMode::kRestart:
      sqlite_mode = SQLITE_CHECKPOINT_RESTART;
      break;
    case CheckpointMode::kTruncate:
      sqlite_mode = SQLITE_CHECKPOINT_TRUNCATE;
      break;
  }
  int log_frames = 0;
  int checkpointed = 0;
  const int rc = sqlite3_wal_checkpoint_v2(db_, "main", sqlite_mode, &log_frames, &checkpointed);
  const bool busy = (rc & 0xff) == SQLITE_BUSY;
  if (rc != SQLITE_OK && !busy) {
    // The extended code (SQLITE_IOERR_FSYNC, _WRITE, ...) says which step failed.
    return StatusFor(rc, "wal checkpoint (sqlite code " + std::to_string(rc) + ")",
                     sqlite3_errmsg(db_));
  }
  CheckpointResult result;
  result.busy = busy;
  result.log_frames = log_frames;
  result.checkpointed_frames = checkpointed;
  return result;
}

int64_t SqliteDb::changes() const { return sqlite3_changes64(db_); }

int64_t SqliteDb::last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }

Status SqliteDb::LastError(std::string_view what) const {
  return StatusFor(sqlite3_extended_errcode(db_), what, sqlite3_errmsg(db_));
}

SqliteStatement::~SqliteStatement() {
  if (stmt_ != nullptr) {
    sqlite3_finalize(stmt_);
  }
}

SqliteStatement::SqliteStatement(SqliteStatement&& other) noexcept
    : stmt_(std::exchange(other.stmt_, nullptr)),
      db_(std::exchange(other.db_, nullptr)),
      bind_error_(other.bind_error_) {}

SqliteStatement& SqliteStatement::operator=(SqliteStatement&& other) noexcept {
  if (this != &other) {
    if (stmt_ != nullptr) {
      sqlite3_finalize(stmt_);
    }
    stmt_ = std::exchange(other.stmt_, nullptr);
    db_ = std::exchange(other.db_, nullptr);
    bind_error_ = other.bind_error_;
  }
  return *this;
}

SqliteStatement& SqliteStatement::Bind(int index, int64_t value) {
  int rc = sqlite3_bind_int64(stmt_, index, value);
  if (rc != SQLITE_OK) bind_error_ = rc;
  return *this;
}

SqliteStatement& SqliteStatement::Bind(int index, std::string_view text) {
  int rc = sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_TRANSIENT,
                               SQLITE_UTF8);
  if (rc != SQLITE_OK) bind_error_ = rc;
  return *this;
}

SqliteStatement& SqliteStatement::BindBlob(int index, std::string_view blob) {
  // A zero-length blob must still be a blob, not NULL: SQLite needs a non-null pointer.
  static constexpr char kEmpty = 0;
  int rc = sqlite3_bind_blob64(stmt_, index, blob.empty() ? &kEmpty : blob.data(), blob.size(),
                               SQLITE_TRANSIENT);
  if (rc != SQLITE_OK) bind_error_ = rc;
  return *this;
}

SqliteStatement& SqliteStatement::BindNull(int index) {
  int rc = sqlite3_bind_null(stmt_, index);
  if (rc != SQLITE_OK) bind_error_ = rc;
  return *this;
}

Status SqliteStatement::BindStatus() const {
  if (bind_error_ != SQLITE_OK) {
    return StatusFor(bind_error_, "bind", nullptr);
  }
  return Status::Ok();
}

Result<bool> SqliteStatement::Step() {
  HUB_RETURN_IF_ERROR(BindStatus());
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) {
    return true;
  }
  if (rc == SQLITE_DONE) {
    return false;
  }
  return StatusFor(sqlite3_extended_errcode(db_), "step", sqlite3_errmsg(db_));
}

Status SqliteStatement::Run() {
  while (true) {
    HUB_ASSIGN_OR_RETURN(bool row, Step());
    if (!row) {
      return Status::Ok();
    }
  }
}

void SqliteStatement::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  bind_error_ = SQLITE_OK;
}

int64_t SqliteStatement::ColumnInt(int index) const { return sqlite3_column_int64(stmt_, index); }

std::string SqliteStatement::ColumnText(int index) const {
  const unsigned char* text = sqlite3_column_text(stmt_, index);
  if (text == nullptr) {
    return {};
  }
  return std::string(reinterpret_cast<const char*>(text),
                     static_cast<size_t>(sqlite3_column_bytes(stmt_, index)));
}

std::string SqliteStatement::ColumnBlob(int index) const {
  const void* blob = sqlite3_column_blob(stmt_, index);
  if (blob == nullptr) {
    return {};
  }
  return std::string(static_cast<const char*>(blob),
                     static_cast<size_t>(sqlite3_column_bytes(stmt_, index)));
}

int SqliteStatement::ColumnType(int index) const { return sqlite3_column_type(stmt_, index); }

bool SqliteStatement::ColumnIsNull(int index) const {
  return sqlite3_column_type(stmt_, index) == SQLITE_NULL;
}

SqliteTransaction::SqliteTransaction(SqliteDb& db) : db_(db) {
  begin_status_ = db_.Exec("BEGIN IMMEDIATE");
  done_ = !begin_status_.ok();
}

SqliteTransaction::~SqliteTransaction() {
  if (!done_) {
    (void)db_.Exec("ROLLBACK");
  }
}

Status SqliteTransaction::Commit() {
  HUB_RETURN_IF_ERROR(begin_status_);
  Status s = db_.Exec("COMMIT");
  done_ = s.ok();
  return s;
}

}  // namespace hub::sqlite
