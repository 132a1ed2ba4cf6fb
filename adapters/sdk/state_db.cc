#include "adapters/sdk/state_db.h"

#include <sqlite3.h>

#include <string_view>

namespace hub::sdk {
namespace {

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS outbox(
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  message_id BLOB NOT NULL UNIQUE,
  source TEXT UNIQUE,
  envelope BLOB NOT NULL,
  created_ms INTEGER NOT NULL,
  expires_ms INTEGER NOT NULL,
  answer_type INTEGER NOT NULL DEFAULT 0,
  answer BLOB);
CREATE TABLE IF NOT EXISTS seen(
  id BLOB NOT NULL,
  kind INTEGER NOT NULL,
  sender TEXT NOT NULL,
  seen_ms INTEGER NOT NULL,
  keep_until_ms INTEGER NOT NULL,
  PRIMARY KEY(id, kind));
CREATE INDEX IF NOT EXISTS seen_keep_until ON seen(keep_until_ms);
)sql";

constexpr const char* kOutboxColumns =
    "seq, message_id, COALESCE(source, ''), envelope, created_ms, expires_ms, answer_type, "
    "COALESCE(answer, x'')";

Status SqliteError(sqlite3* db, std::string_view what) {
  const int code = sqlite3_extended_errcode(db) & 0xff;
  std::string msg = "state database: " + std::string(what) + ": " + sqlite3_errmsg(db);
  if (code == SQLITE_CORRUPT || code == SQLITE_NOTADB) {
    return Status::Corruption(std::move(msg));
  }
  if (code == SQLITE_CONSTRAINT) {
    return Status::AlreadyExists(std::move(msg));
  }
  return Status::IOError(std::move(msg));
}

// A prepared statement that finalises itself; used only inside StateDb's lock.
class Stmt {
 public:
  Stmt(sqlite3* db, const char* sql) : db_(db) {
    if (sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr) != SQLITE_OK) {
      status_ = SqliteError(db, "prepare");
      stmt_ = nullptr;
    }
  }
  ~Stmt() { sqlite3_finalize(stmt_); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  const Status& status() const { return status_; }
  void Int(int i, int64_t v) {
    if (stmt_ != nullptr) {
      sqlite3_bind_int64(stmt_, i, v);
    }
  }
  void Blob(int i, std::string_view v) {
    if (stmt_ != nullptr) {
      sqlite3_bind_blob(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    }
  }
  void Text(int i, std::string_view v) {
    if (stmt_ != nullptr) {
      sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    }
  }
  void Null(int i) {
    if (stmt_ != nullptr) {
      sqlite3_bind_null(stmt_, i);
    }
  }
  // True when a row is ready.
  Result<bool> Step() {
    if (!status_.ok()) {
      return status_;
    }
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) {
      return true;
    }
    if (rc == SQLITE_DONE) {
      return false;
    }
    return SqliteError(db_, "step");
  }
  int64_t ColInt(int i) const { return sqlite3_column_int64(stmt_, i); }
  std::string ColBytes(int i) const {
    const void* p = sqlite3_column_blob(stmt_, i);
    int n = sqlite3_column_bytes(stmt_, i);
    return p == nullptr ? std::string()
                        : std::string(static_cast<const char*>(p), static_cast<size_t>(n));
  }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
  Status status_;
};

OutboxRow ReadRow(const Stmt& s) {
  OutboxRow row;
  row.seq = s.ColInt(0);
  row.message_id = s.ColBytes(1);
  row.source = s.ColBytes(2);
  row.envelope = s.ColBytes(3);
  row.created_ms = s.ColInt(4);
  row.expires_ms = s.ColInt(5);
  row.answer_type = static_cast<int>(s.ColInt(6));
  row.answer = s.ColBytes(7);
  return row;
}

Result<std::vector<OutboxRow>> ReadRows(Stmt& s) {
  std::vector<OutboxRow> rows;
  while (true) {
    HUB_ASSIGN_OR_RETURN(bool more, s.Step());
    if (!more) {
      return rows;
    }
    rows.push_back(ReadRow(s));
  }
}

Result<std::optional<OutboxRow>> ReadOne(Stmt& s) {
  HUB_ASSIGN_OR_RETURN(bool found, s.Step());
  if (!found) {
    return std::optional<OutboxRow>();
  }
  return std::optional<OutboxRow>(ReadRow(s));
}

}  // namespace

Result<std::unique_ptr<StateDb>> StateDb::Open(const std::filesystem::path& path) {
  sqlite3* raw = nullptr;
  int rc =
      sqlite3_open_v2(path.c_str(), &raw,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = raw != nullptr ? sqlite3_errmsg(raw) : "out of memory";
    sqlite3_close_v2(raw);
    return Status::IOError("cannot open the state database " + path.string() + ": " + msg);
  }
  std::unique_ptr<StateDb> db(new StateDb(raw));
  sqlite3_busy_timeout(raw, 5000);
  // WAL with synchronous=FULL: an alert is in the outbox (and a delivery is marked seen)
  // only once it is on disk, so neither a crash nor a power cut loses or repeats it.
  HUB_RETURN_IF_ERROR(db->Exec("PRAGMA journal_mode=WAL"));
  HUB_RETURN_IF_ERROR(db->Exec("PRAGMA synchronous=FULL"));
  HUB_RETURN_IF_ERROR(db->Exec(kSchema));
  return db;
}

StateDb::~StateDb() { sqlite3_close_v2(db_); }

Status StateDb::Exec(const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    Status s = SqliteError(db_, err != nullptr ? err : "exec");
    sqlite3_free(err);
    return s;
  }
  return Status::Ok();
}

Result<int64_t> StateDb::InsertOutbox(const OutboxRow& row) {
  std::lock_guard lock(mu_);
  Stmt s(db_,
         "INSERT INTO outbox(message_id, source, envelope, created_ms, expires_ms) "
         "VALUES(?1, ?2, ?3, ?4, ?5)");
  s.Blob(1, row.message_id);
  if (row.source.empty()) {
    s.Null(2);
  } else {
    s.Text(2, row.source);
  }
  s.Blob(3, row.envelope);
  s.Int(4, row.created_ms);
  s.Int(5, row.expires_ms);
  HUB_ASSIGN_OR_RETURN(bool unused, s.Step());
  (void)unused;
  return static_cast<int64_t>(sqlite3_last_insert_rowid(db_));
}

Result<std::vector<OutboxRow>> StateDb::LoadUnanswered(int64_t after_seq, int limit) {
  std::lock_guard lock(mu_);
  std::string sql = std::string("SELECT ") + kOutboxColumns +
                    " FROM outbox WHERE answer_type = 0 AND seq > ?1 ORDER BY seq LIMIT ?2";
  Stmt s(db_, sql.c_str());
  s.Int(1, after_seq);
  s.Int(2, limit);
  return ReadRows(s);
}

Result<std::vector<OutboxRow>> StateDb::LoadAnswered() {
  std::lock_guard lock(mu_);
  std::string sql =
      std::string("SELECT ") + kOutboxColumns + " FROM outbox WHERE answer_type != 0 ORDER BY seq";
  Stmt s(db_, sql.c_str());
  return ReadRows(s);
}

Result<std::optional<OutboxRow>> StateDb::FindByMessageId(const std::string& message_id) {
  std::lock_guard lock(mu_);
  std::string sql = std::string("SELECT ") + kOutboxColumns + " FROM outbox WHERE message_id = ?1";
  Stmt s(db_, sql.c_str());
  s.Blob(1, message_id);
  return ReadOne(s);
}

Result<std::optional<OutboxRow>> StateDb::FindBySource(const std::string& source) {
  std::lock_guard lock(mu_);
  std::string sql = std::string("SELECT ") + kOutboxColumns + " FROM outbox WHERE source = ?1";
  Stmt s(db_, sql.c_str());
  s.Text(1, source);
  return ReadOne(s);
}

Result<bool> StateDb::RecordAnswer(const std::string& message_id, int answer_type,
                                   const std::string& answer) {
  std::lock_guard lock(mu_);
  Stmt s(db_,
         "UPDATE outbox SET answer_type = ?2, answer = ?3 "
         "WHERE message_id = ?1 AND answer_type = 0");
  s.Blob(1, message_id);
  s.Int(2, answer_type);
  s.Blob(3, answer);
  HUB_ASSIGN_OR_RETURN(bool unused, s.Step());
  (void)unused;
  return sqlite3_changes(db_) > 0;
}

Status StateDb::Complete(const std::string& message_id) {
  std::lock_guard lock(mu_);
  Stmt s(db_, "DELETE FROM outbox WHERE message_id = ?1");
  s.Blob(1, message_id);
  HUB_ASSIGN_OR_RETURN(bool unused, s.Step());
  (void)unused;
  return Status::Ok();
}

Result<int64_t> StateDb::UnansweredCount() {
  std::lock_guard lock(mu_);
  Stmt s(db_, "SELECT COUNT(*) FROM outbox WHERE answer_type = 0");
  HUB_ASSIGN_OR_RETURN(bool row, s.Step());
  return row ? s.ColInt(0) : 0;
}

Result<bool> StateDb::IsSeen(const std::string& id, SeenKind kind) {
  std::lock_guard lock(mu_);
  Stmt s(db_, "SELECT 1 FROM seen WHERE id = ?1 AND kind = ?2");
  s.Blob(1, id);
  s.Int(2, static_cast<int>(kind));
  return s.Step();
}

Status StateDb::MarkSeen(const std::string& id, SeenKind kind, const std::string& sender,
                         int64_t seen_ms, int64_t keep_until_ms) {
  std::lock_guard lock(mu_);
  Stmt s(db_,
         "INSERT OR IGNORE INTO seen(id, kind, sender, seen_ms, keep_until_ms) "
         "VALUES(?1, ?2, ?3, ?4, ?5)");
  s.Blob(1, id);
  s.Int(2, static_cast<int>(kind));
  s.Text(3, sender);
  s.Int(4, seen_ms);
  s.Int(5, keep_until_ms);
  HUB_ASSIGN_OR_RETURN(bool unused, s.Step());
  (void)unused;
  return Status::Ok();
}

Result<std::optional<std::string>> StateDb::SenderOfSeenAlert(const std::string& message_id) {
  std::lock_guard lock(mu_);
  Stmt s(db_, "SELECT sender FROM seen WHERE id = ?1 AND kind = ?2");
  s.Blob(1, message_id);
  s.Int(2, static_cast<int>(SeenKind::kAlert));
  HUB_ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) {
    return std::optional<std::string>();
  }
  return std::optional<std::string>(s.ColBytes(0));
}

Status StateDb::PurgeSeen(int64_t now_ms) {
  std::lock_guard lock(mu_);
  Stmt s(db_, "DELETE FROM seen WHERE keep_until_ms < ?1");
  s.Int(1, now_ms);
  HUB_ASSIGN_OR_RETURN(bool unused, s.Step());
  (void)unused;
  return Status::Ok();
}

}  // namespace hub::sdk
