// RAII wrappers around SQLite handles, shaped like cppzmq's socket_t: move-only, a moved-from
// object is null, destructors release the handle. Errors are values (Status); nothing throws.
// A SqliteDb and its statements belong to one thread at a time.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "hub/base/bytes.h"
#include "hub/base/result.h"
#include "hub/base/status.h"

namespace hub::sqlite {

class SqliteStatement;

// How a WAL checkpoint waits for other connections (SQLITE_CHECKPOINT_*). kPassive never
// waits: it copies what it can and leaves the rest.
enum class CheckpointMode { kPassive, kFull, kRestart, kTruncate };

// What one WAL checkpoint did.
struct CheckpointResult {
  bool busy = false;                // another connection held a lock it needed (SQLITE_BUSY)
  int64_t log_frames = 0;           // frames in the WAL when it ran
  int64_t checkpointed_frames = 0;  // of those, frames now copied into the database file
};

class SqliteDb {
 public:
  // Opens (creating if missing) the database file. Busy waits up to 5 s on a lock. `vfs`
  // names a registered SQLite VFS; empty means the default one.
  static Result<SqliteDb> Open(const std::filesystem::path& path, const std::string& vfs = {});
  // Opens an existing database file for reading only, for tools that inspect a store
  // (`sghubctl audit verify`). Never creates the file: NotFound when it does not exist.
  // Writes through the handle fail with IOError (SQLITE_READONLY). A WAL-mode database still
  // needs its directory to be writable so that SQLite can open the -shm index.
  static Result<SqliteDb> OpenReadOnly(const std::filesystem::path& path);

  SqliteDb() = default;
  ~SqliteDb();
  SqliteDb(SqliteDb&& other) noexcept;
  SqliteDb& operator=(SqliteDb&& other) noexcept;
  SqliteDb(const SqliteDb&) = delete;
  SqliteDb& operator=(const SqliteDb&) = delete;

  // Runs one or more statements that return no rows.
  Status Exec(std::string_view sql);
  // Compiles one statement. The statement must not outlive this database.
  Result<SqliteStatement> Prepare(std::string_view sql);
  // Runs a query that returns one integer (e.g. PRAGMA page_count).
  Result<int64_t> QueryInt(std::string_view sql);
  // Runs a query that returns one text value (e.g. PRAGMA quick_check).
  Result<std::string> QueryText(std::string_view sql);

  // Copies WAL frames into the database file (sqlite3_wal_checkpoint_v2 on "main"), syncing
  // as this handle's `synchronous` setting says. SQLITE_BUSY is not an error: the result says
  // busy, and a later call copies the rest. IOError, Corruption or ResourceExhausted when a
  // read, write or sync failed. Fails with Unavailable (SQLITE_LOCKED) inside a transaction.
  Result<CheckpointResult> Checkpoint(CheckpointMode mode);

  int64_t changes() const;
  // The rowid of the last successful INSERT on this handle (an AUTOINCREMENT key).
  int64_t last_insert_rowid() const;
  sqlite3* get() const { return db_; }

  // A Status for the last error on this handle, prefixed by `what`. SQLITE_CORRUPT and
  // SQLITE_NOTADB map to Corruption, SQLITE_FULL to ResourceExhausted
  // (a full disk, recoverable), SQLITE_IOERR to IOError.
  Status LastError(std::string_view what) const;

 private:
  explicit SqliteDb(sqlite3* db) : db_(db) {}
  sqlite3* db_ = nullptr;
};

class SqliteStatement {
 public:
  SqliteStatement() = default;
  ~SqliteStatement();
  SqliteStatement(SqliteStatement&& other) noexcept;
  SqliteStatement& operator=(SqliteStatement&& other) noexcept;
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;

  // Binding indexes start at 1, as in SQLite. Blob and text values are copied.
  SqliteStatement& Bind(int index, int64_t value);
  SqliteStatement& Bind(int index, std::string_view text);
  SqliteStatement& BindBlob(int index, std::string_view blob);
  SqliteStatement& BindNull(int index);

  // Steps once. Returns true when a row is ready, false when done.
  Result<bool> Step();
  // Steps until done; for statements that return no rows.
  Status Run();
  // Resets for re-use and clears bindings.
  void Reset();

  int64_t ColumnInt(int index) const;
  std::string ColumnText(int index) const;
  std::string ColumnBlob(int index) const;
  bool ColumnIsNull(int index) const;
  // The value's storage class: SQLITE_INTEGER, SQLITE_FLOAT, SQLITE_TEXT, SQLITE_BLOB or
  // SQLITE_NULL (for checks that a row was not edited to another type).
  int ColumnType(int index) const;

 private:
  friend class SqliteDb;
  SqliteStatement(sqlite3_stmt* stmt, sqlite3* db) : stmt_(stmt), db_(db) {}
  Status BindStatus() const;

  sqlite3_stmt* stmt_ = nullptr;
  sqlite3* db_ = nullptr;  // not owned
  int bind_error_ = SQLITE_OK;
};

// Begins a transaction on construction (BEGIN IMMEDIATE) and rolls back in the destructor
// unless Commit() succeeded.
class SqliteTransaction {
 public:
  explicit SqliteTransaction(SqliteDb& db);
  ~SqliteTransaction();
  SqliteTransaction(const SqliteTransaction&) = delete;
  SqliteTransaction& operator=(const SqliteTransaction&) = delete;

  const Status& begin_status() const { return begin_status_; }
  Status Commit();

 private:
  SqliteDb& db_;
  Status begin_status_;
  bool done_ = false;
};

}  // namespace hub::sqlite
