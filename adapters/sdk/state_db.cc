#include "adapters/sdk/state_db.h"

#include <string_view>
#include <utility>

#include "hub/sqlite/sqlite_db.h"

namespace hub::sdk {
namespace {

using sqlite::SqliteDb;
using sqlite::SqliteStatement;

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

// Every error names this database, so an operator can tell it from the hub's store.
Status InStateDb(const Status& s) { return s.ok() ? s : s.WithContext("state database"); }

template <typename T>
Result<T> InStateDb(Result<T> r) {
  if (!r.ok()) {
    return InStateDb(r.status());
  }
  return r;
}

Result<SqliteStatement> Prepare(SqliteDb& db, std::string_view sql) {
  return InStateDb(db.Prepare(sql));
}

std::string SelectOutbox(std::string_view where) {
  return std::string("SELECT ") + kOutboxColumns + " FROM outbox " + std::string(where);
}

OutboxRow ReadRow(const SqliteStatement& s) {
  OutboxRow row;
  row.seq = s.ColumnInt(0);
  row.message_id = s.ColumnBlob(1);
  row.source = s.ColumnBlob(2);
  row.envelope = s.ColumnBlob(3);
  row.created_ms = s.ColumnInt(4);
  row.expires_ms = s.ColumnInt(5);
  row.answer_type = static_cast<int>(s.ColumnInt(6));
  row.answer = s.ColumnBlob(7);
  return row;
}

Result<std::vector<OutboxRow>> ReadRows(SqliteStatement& s) {
  std::vector<OutboxRow> rows;
  while (true) {
    HUB_ASSIGN_OR_RETURN(bool more, InStateDb(s.Step()));
    if (!more) {
      return rows;
    }
    rows.push_back(ReadRow(s));
  }
}

Result<std::optional<OutboxRow>> ReadOne(SqliteStatement& s) {
  HUB_ASSIGN_OR_RETURN(bool found, InStateDb(s.Step()));
  if (!found) {
    return std::optional<OutboxRow>();
  }
  return std::optional<OutboxRow>(ReadRow(s));
}

}  // namespace

StateDb::StateDb(std::unique_ptr<SqliteDb> db) : db_(std::move(db)) {}

StateDb::~StateDb() = default;

Result<std::unique_ptr<StateDb>> StateDb::Open(const std::filesystem::path& path) {
  auto opened = SqliteDb::Open(path);  // busy timeout 5 s
  if (!opened.ok()) {
    return opened.status().WithContext("cannot open the state database");
  }
  std::unique_ptr<StateDb> db(new StateDb(std::make_unique<SqliteDb>(std::move(*opened))));
  // WAL with synchronous=FULL: an alert is in the outbox (and a delivery is marked seen)
  // only once it is on disk, so neither a crash nor a power cut loses or repeats it.
  HUB_RETURN_IF_ERROR(InStateDb(db->db_->Exec("PRAGMA journal_mode=WAL")));
  HUB_RETURN_IF_ERROR(InStateDb(db->db_->Exec("PRAGMA synchronous=FULL")));
  HUB_RETURN_IF_ERROR(InStateDb(db->db_->Exec(kSchema)));
  return db;
}

Result<int64_t> StateDb::InsertOutbox(const OutboxRow& row) {
  std::lock_guard lock(mu_);
  HUB_ASSIGN_OR_RETURN(SqliteStatement s,
                       Prepare(*db_,
                               "INSERT INTO outbox(message_id, source, envelope, created_ms, "
                               "expires_ms) VALUES(?1, ?2, ?3, ?4, ?5)"));
  s.BindBlob(1, row.message_id);
  if (row.source.empty()) {
    s.BindNull(2);
  } else {
    s.Bind(2, std::string_view(row.source));
  }
  s.BindBlob(3, row.envelope).Bind(4, row.created_ms).Bind(5, row.expires_ms);
  HUB_RETURN_IF_ERROR(InStateDb(s.Run()));
  return db_->last_insert_rowid();
}

Result<std::vector<OutboxRow>> StateDb::LoadUnanswered(int64_t after_seq, int limit) {
  std::lock_guard lock(mu_);
  HUB_ASSIGN_OR_RETURN(
      SqliteStatement s,
      Prepare(*db_, SelectOutbox("WHERE answer_type = 0 AND seq > ?1 ORDER BY seq LIMIT ?2")));
  s.Bind(1, after_seq).Bind(2, int64_t{limit});
  return ReadRows(s);
}

Result<std::vector<OutboxRow>> StateDb::LoadAnswered() {
  std::lock_guard lock(mu_);
  HUB_ASSIGN_OR_RETURN(SqliteStatement s,
                       Prepare(*db_, SelectOutbox("WHERE answer_type != 0 ORDER BY seq")));
  return ReadRows(s);
}

Result<std::optional<OutboxRow>> StateDb::FindByMessageId(const std::string& message_id) {
  std::lock_guard lock(mu_);
  HUB_ASSIGN_OR_RETURN(SqliteStatement s, Prepare(*db_, SelectOutbox("WHERE message_id = ?1")));
  s.BindBlob(1, message_id);
  return ReadOne(s);
}

Result<std::optional<OutboxRow>> StateDb::FindBySource(const std::string& source) {
  std::lock_guard lock(mu_);
  HUB_ASSIGN_OR_RETURN(SqliteStatement s, Prepare(*db_, SelectOutbox("WHERE source = ?1")));
  s.Bind(1, std::string_view(source));
  return ReadOne(s);
}

Result<bool> StateDb::RecordAnswer(const std::string& message_id, int answer_type,
                                   const std::string& answer) {
  std::lock_guard lock(mu_);
  HUB_ASSIGN_OR_RETURN(SqliteStatement s,
                       Prepare(*db_,
                               "UPDATE outbox SET answer_type = ?2, answer = ?3 "
                               "WHERE message_id = ?1 AND answer_type = 0"));
  s.BindBlob(1, message_id).Bind(2, int64_t{answer_type}).BindBlob(3, answer);
  HUB_RETURN_IF_ERROR(InStateDb(s.Run()));
  return db_->changes() > 0;
}

Status StateDb::Complete(const std::string& message_id) {
  std::lock_guard lock(mu_);
  HUB_ASSIGN_OR_RETURN(SqliteStatement s,
                       Prepare(*db_, "DELETE FROM outbox WHERE message_id = ?1"));
  s.BindBlob(1, message_id);
  return InStateDb(s.Run());
}

Result<int64_t> StateDb::UnansweredCount() {
  std::lock_guard lock(mu_);
  return InStateDb(db_->QueryInt("SELECT COUNT(*) FROM outbox WHERE answer_type = 0"));
}

Result<bool> StateDb::IsSeen(const std::string& id, SeenKind kind) {
  std::lock_guard lock(mu_);
  HUB_ASSIGN_OR_RETURN(SqliteStatement s,
                       Prepare(*db_, "SELECT 1 FROM seen WHERE id = ?1 AND kind = ?2"));
  s.BindBlob(1, id).Bind(2, int64_t{static_cast<int>(kind)});
  return InStateDb(s.Step());
}

Status StateDb::MarkSeen(const std::string& id, SeenKind kind, const std::string& sender,
                         int64_t seen_ms, int64_t keep_until_ms) {
  std::lock_guard lock(mu_);
  HUB_ASSIGN_OR_RETURN(SqliteStatement s,
                       Prepare(*db_,
                               "INSERT OR IGNORE INTO seen(id, kind, sender, seen_ms, "
                               "keep_until_ms) VALUES(?1, ?2, ?3, ?4, ?5)"));
  s.BindBlob(1, id).Bind(2, int64_t{static_cast<int>(kind)}).Bind(3, std::string_view(sender));
  s.Bind(4, seen_ms).Bind(5, keep_until_ms);
  return InStateDb(s.Run());
}

Result<std::optional<std::string>> StateDb::SenderOfSeenAlert(const std::string& message_id) {
  std::lock_guard lock(mu_);
  HUB_ASSIGN_OR_RETURN(SqliteStatement s,
                       Prepare(*db_, "SELECT sender FROM seen WHERE id = ?1 AND kind = ?2"));
  s.BindBlob(1, message_id).Bind(2, int64_t{static_cast<int>(SeenKind::kAlert)});
  HUB_ASSIGN_OR_RETURN(bool row, InStateDb(s.Step()));
  if (!row) {
    return std::optional<std::string>();
  }
  return std::optional<std::string>(s.ColumnBlob(0));
}

Status StateDb::PurgeSeen(int64_t now_ms) {
  std::lock_guard lock(mu_);
  HUB_ASSIGN_OR_RETURN(SqliteStatement s,
                       Prepare(*db_, "DELETE FROM seen WHERE keep_until_ms < ?1"));
  s.Bind(1, now_ms);
  return InStateDb(s.Run());
}

}  // namespace hub::sdk
