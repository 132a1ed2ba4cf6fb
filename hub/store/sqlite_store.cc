#include "hub/store/sqlite_store.h"

#include <chrono>
#include <utility>

#include "hub/base/logging.h"
#include "hub/store/audit_chain.h"
#include "hub/store/schema.h"

namespace hub::store {
namespace {

// Columns shared by LoadQueue and LoadExpired, in the order ReadItems expects.
constexpr std::string_view kItemColumns =
    "q.delivery_id, q.recipient, q.message_seq, q.notice_id, q.notice, q.queued_ms, "
    "q.expires_ms, m.message_id, m.sender, m.envelope "
    "FROM queue q LEFT JOIN messages m ON m.seq = q.message_seq ";

// sqlite3_wal_hook callback on the owner's connection: runs inside each commit, after the
// WAL frames are written and synced. Only records the WAL's length for the checkpointer.
int OnWalCommit(void* checkpointer, sqlite3* /*db*/, const char* /*db_name*/, int wal_frames) {
  static_cast<WalCheckpointer*>(checkpointer)->NoteCommit(wal_frames);
  return SQLITE_OK;
}

constexpr std::string_view kTrackingColumns =
    "message_id, recipient, sender, urgency, accepted_ms, delivered_ms, acknowledged_ms, "
    "outcome_ms, outcome_code, ack_due_ms, outcome_due_ms, stage, next_due_ms";

}  // namespace

Result<MessageStorePtr> SqliteStore::Open(const std::filesystem::path& path) {
  return Open(path, Options{});
}

Result<MessageStorePtr> SqliteStore::Open(const std::filesystem::path& path,
                                          const Options& options) {
  HUB_ASSIGN_OR_RETURN(sqlite::SqliteDb db, sqlite::SqliteDb::Open(path, options.vfs));
  std::unique_ptr<SqliteStore> store(
      new SqliteStore(std::move(db), path, options));  // private constructor
  Status s = store->Initialise();
  if (s.ok()) {
    s = store->StartCheckpointer();
  }
  if (!s.ok()) {
    return s.WithContext("store " + path.string());
  }
  return MessageStorePtr(std::move(store));
}

SqliteStore::~SqliteStore() {
  if (checkpointer_ != nullptr) {
    sqlite3_wal_hook(db_.get(), nullptr, nullptr);
    checkpointer_.reset();
  }
}

Status SqliteStore::StartCheckpointer() {
  HUB_ASSIGN_OR_RETURN(int64_t page_size, db_.QueryInt("PRAGMA page_size"));
  wal_cap_frames_ = options_.wal_cap_bytes / page_size;
  WalCheckpointer::Options ckpt;
  ckpt.start_frames = options_.checkpoint_frames;
  ckpt.writer_frames = wal_cap_frames_;
  ckpt.interval = options_.checkpoint_interval;
  ckpt.vfs = options_.vfs;
  HUB_ASSIGN_OR_RETURN(checkpointer_, WalCheckpointer::Start(path_, std::move(ckpt)));
  // wal_autocheckpoint=0 removes SQLite's own commit hook; ours replaces it. After a WAL
  // that outgrew the cap starts over, SQLite shrinks the file back to the cap.
  HUB_RETURN_IF_ERROR(db_.Exec("PRAGMA wal_autocheckpoint=0"));
  HUB_RETURN_IF_ERROR(
      db_.Exec("PRAGMA journal_size_limit=" + std::to_string(options_.wal_cap_bytes)));
  sqlite3_wal_hook(db_.get(), &OnWalCommit, checkpointer_.get());
  return Status::Ok();
}

Status SqliteStore::BackgroundStatus() const { return checkpointer_->status(); }

Status SqliteStore::CheckpointIfWalAtCap() {
  if (checkpointer_->wal_frames() < wal_cap_frames_) {
    wal_cap_logged_ = false;
    return Status::Ok();
  }
  auto& log = Logger(Component::kStore);
  if (!wal_cap_logged_) {
    // Expected now and then under a sustained load; worth a line the first time only.
    log.log(writer_checkpoints_ == 0 ? spdlog::level::info : spdlog::level::debug,
            "the WAL reached {} frames (cap {} bytes): checkpointing on the writer's thread",
            checkpointer_->wal_frames(), options_.wal_cap_bytes);
    wal_cap_logged_ = true;
  }
  const auto started = std::chrono::steady_clock::now();
  Result<sqlite::CheckpointResult> done = db_.Checkpoint(sqlite::CheckpointMode::kPassive);
  if (!done.ok()) {
    // Busy or a full disk leave the WAL as it was, every frame still in it: try after the
    // next commit. Anything else means the database file's content is in doubt.
    if (done.status().IsUnavailable() || done.status().IsResourceExhausted()) {
      return Status::Ok();
    }
    log.error("wal checkpoint failed; durability is in doubt: {}", done.status().ToString());
    checkpointer_->Fail(done.status());
    return done.status();
  }
  log.debug("wal checkpoint on the writer: {} of {} frames copied, busy {}, {} us",
            done->checkpointed_frames, done->log_frames, done->busy,
            std::chrono::duration_cast<std::chrono::microseconds>(
                std::chrono::steady_clock::now() - started)
                .count());
  if (!done->busy) {
    ++writer_checkpoints_;
  }
  return Status::Ok();
}

Status SqliteStore::Initialise() {
  // A file that is not a database fails here with SQLITE_NOTADB (Corruption).
  HUB_RETURN_IF_ERROR(db_.Exec("PRAGMA journal_mode=WAL"));
  HUB_RETURN_IF_ERROR(db_.Exec("PRAGMA synchronous=FULL"));
  // The indexes that every accepted alert updates (answers, messages_by_id, tracking) take
  // random keys; 2 MiB (the default cache) holds too little of them once a large backlog
  // builds up, and every miss is a read from the OS page cache. 32 MiB keeps the hub well
  // inside its 100 MB memory target (docs/performance.md).
  HUB_RETURN_IF_ERROR(db_.Exec("PRAGMA cache_size=-32768"));
  HUB_ASSIGN_OR_RETURN(int64_t version, db_.QueryInt("PRAGMA user_version"));
  if (version == 0) {
    HUB_ASSIGN_OR_RETURN(int64_t tables,
                         db_.QueryInt("SELECT count(*) FROM sqlite_master WHERE type='table'"));
    if (tables != 0) {
      return Status::Corruption("the file holds tables but is not an sghub store");
    }
    sqlite::SqliteTransaction tx(db_);
    HUB_RETURN_IF_ERROR(tx.begin_status());
    HUB_RETURN_IF_ERROR(db_.Exec(kSchemaSql));
    HUB_RETURN_IF_ERROR(db_.Exec("PRAGMA user_version=" + std::to_string(kSchemaVersion)));
    HUB_RETURN_IF_ERROR(tx.Commit());
  } else if (version != kSchemaVersion) {
    return Status::Corruption("store schema version " + std::to_string(version) +
                              " is not the version this sghubd supports (" +
                              std::to_string(kSchemaVersion) + ")");
  } else {
    HUB_RETURN_IF_ERROR(CheckIntegrity());
  }
  // Retention (PurgeBodies) selects by acceptance time; without this index it read every
  // message row, once a minute, on the broker thread. IF NOT EXISTS: stores made before it
  // get it on their first start.
  HUB_RETURN_IF_ERROR(
      db_.Exec("CREATE INDEX IF NOT EXISTS messages_by_accepted ON messages (accepted_ms)"));
  {
    // Until MarkCleanShutdown, a crash leaves the store marked as not cleanly shut down, so
    // the next start checks it in full.
    sqlite::SqliteTransaction tx(db_);
    HUB_RETURN_IF_ERROR(tx.begin_status());
    HUB_ASSIGN_OR_RETURN(sqlite::SqliteStatement put,
                         db_.Prepare("INSERT OR REPLACE INTO meta (key, value) VALUES (?,?)"));
    put.Bind(1, kCleanShutdownKey).BindBlob(2, "0");
    HUB_RETURN_IF_ERROR(put.Run());
    HUB_RETURN_IF_ERROR(tx.Commit());
  }
  HUB_RETURN_IF_ERROR(PrepareStatements());

  audit_hash_ = std::string(kAuditHashBytes, '\0');
  HUB_ASSIGN_OR_RETURN(sqlite::SqliteStatement head,
                       db_.Prepare("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1"));
  HUB_ASSIGN_OR_RETURN(bool row, head.Step());
  if (row) {
    audit_seq_ = head.ColumnInt(0);
    audit_hash_ = head.ColumnBlob(1);
  }
  pending_audit_seq_ = audit_seq_;
  pending_audit_hash_ = audit_hash_;
  return Status::Ok();
}

Status SqliteStore::CheckIntegrity() {
  // quick_check reads every page: O(store size), about a second per 1-2 GB here. After a
  // clean shutdown the hub skips it (reading the marker still fails on a damaged meta page
  // or schema); after a crash, or when the marker cannot be read, it runs in full.
  HUB_ASSIGN_OR_RETURN(sqlite::SqliteStatement get,
                       db_.Prepare("SELECT value FROM meta WHERE key = ?"));
  get.Bind(1, kCleanShutdownKey);
  HUB_ASSIGN_OR_RETURN(bool row, get.Step());
  const bool clean = row && get.ColumnBlob(0) == "1";
  get.Reset();
  if (clean) {
    full_check_ran_ = false;
    Logger(Component::kStore).info("the store was shut down cleanly: full integrity check skipped");
    return Status::Ok();
  }
  full_check_ran_ = true;
  Logger(Component::kStore).info("the store was not shut down cleanly: running PRAGMA quick_check");
  HUB_ASSIGN_OR_RETURN(std::string check, db_.QueryText("PRAGMA quick_check"));
  if (check != "ok") {
    return Status::Corruption("PRAGMA quick_check failed (" + check +
                              "); restore the store from a backup (docs/operations.md)");
  }
  return Status::Ok();
}

Status SqliteStore::MarkCleanShutdown() {
  if (in_batch_) {
    return Status::Internal("a store batch is still open");
  }
  // After a failed checkpoint the file may not hold what the WAL said: the next start must
  // check it in full.
  HUB_RETURN_IF_ERROR(checkpointer_->status());
  // The run's last full checkpoint happens here, on this thread, where its error is seen (the
  // one SQLite makes when the connection closes reports to no one): a store whose database
  // file could not take the WAL's content is not marked clean. Closing then copies only the
  // marker's page.
  checkpointer_->Stop();
  // Busy (another process checkpointing) or frames a reader still needs are not errors.
  Result<sqlite::CheckpointResult> last = db_.Checkpoint(sqlite::CheckpointMode::kPassive);
  if (!last.ok()) {
    return last.status();
  }
  HUB_ASSIGN_OR_RETURN(sqlite::SqliteStatement put,
                       db_.Prepare("INSERT OR REPLACE INTO meta (key, value) VALUES (?,?)"));
  put.Bind(1, kCleanShutdownKey).BindBlob(2, "1");
  return put.Run();  // autocommit: durable (synchronous=FULL) when it returns
}

Status SqliteStore::PrepareStatements() {
  HUB_ASSIGN_OR_RETURN(insert_message_,
                       db_.Prepare("INSERT INTO messages (message_id, sender, kind, category, "
                                   "urgency, created_ms, expires_ms, accepted_ms, in_reply_to, "
                                   "outcome_code, envelope) VALUES (?,?,?,?,?,?,?,?,?,?,?)"));
  HUB_ASSIGN_OR_RETURN(put_answer_,
                       db_.Prepare("INSERT OR REPLACE INTO answers (sender, message_id, "
                                   "envelope_hash, frame_type, answer, keep_until_ms) "
                                   "VALUES (?,?,?,?,?,?)"));
  HUB_ASSIGN_OR_RETURN(enqueue_message_,
                       db_.Prepare("INSERT INTO queue (recipient, message_seq, queued_ms, "
                                   "expires_ms) VALUES (?,?,?,?)"));
  HUB_ASSIGN_OR_RETURN(enqueue_notice_,
                       db_.Prepare("INSERT INTO queue (recipient, notice_id, notice, queued_ms, "
                                   "expires_ms) VALUES (?,?,?,?,?)"));
  HUB_ASSIGN_OR_RETURN(remove_queued_, db_.Prepare("DELETE FROM queue WHERE delivery_id = ?"));
  HUB_ASSIGN_OR_RETURN(append_audit_,
                       db_.Prepare("INSERT INTO audit (seq, at_ms, event, actor, message_id, "
                                   "recipient, reason_code, basis, subject_refs, detail, "
                                   "prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)"));
  HUB_ASSIGN_OR_RETURN(find_answer_,
                       db_.Prepare("SELECT envelope_hash, frame_type, answer, keep_until_ms "
                                   "FROM answers WHERE sender = ? AND message_id = ?"));
  HUB_ASSIGN_OR_RETURN(load_queue_,
                       db_.Prepare(std::string("SELECT ") + std::string(kItemColumns) +
                                   "WHERE q.recipient = ? AND q.delivery_id > ? "
                                   "ORDER BY q.delivery_id LIMIT ?"));
  HUB_ASSIGN_OR_RETURN(load_expired_,
                       db_.Prepare(std::string("SELECT ") + std::string(kItemColumns) +
                                   "WHERE q.expires_ms <= ? ORDER BY q.expires_ms LIMIT ?"));
  HUB_ASSIGN_OR_RETURN(find_message_,
                       db_.Prepare("SELECT seq, sender, kind, urgency FROM messages "
                                   "WHERE message_id = ? ORDER BY seq LIMIT 1"));
  HUB_ASSIGN_OR_RETURN(consent_history_,
                       db_.Prepare("SELECT subject_ref, state, recorded_at_ms, scope, message_id "
                                   "FROM consent_changes WHERE subject_ref = ? ORDER BY seq"));
  HUB_ASSIGN_OR_RETURN(link_subject_,
                       db_.Prepare("INSERT OR IGNORE INTO subject_recipients (subject_ref, "
                                   "agency) VALUES (?,?)"));
  HUB_ASSIGN_OR_RETURN(insert_tracking_,
                       db_.Prepare(std::string("INSERT OR REPLACE INTO tracking (") +
                                   std::string(kTrackingColumns) +
                                   ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)"));
  HUB_ASSIGN_OR_RETURN(find_tracking_,
                       db_.Prepare(std::string("SELECT ") + std::string(kTrackingColumns) +
                                   " FROM tracking WHERE message_id = ? AND recipient = ?"));
  HUB_ASSIGN_OR_RETURN(due_tracking_,
                       db_.Prepare(std::string("SELECT ") + std::string(kTrackingColumns) +
                                   " FROM tracking WHERE next_due_ms > 0 AND next_due_ms <= ? "
                                   "ORDER BY next_due_ms LIMIT ?"));
  return Status::Ok();
}

Status SqliteStore::Begin() {
  if (in_batch_) {
    return Status::Internal("a store batch is already open");
  }
  HUB_RETURN_IF_ERROR(checkpointer_->status());
  HUB_RETURN_IF_ERROR(db_.Exec("BEGIN IMMEDIATE"));
  in_batch_ = true;
  return Status::Ok();
}

Status SqliteStore::Commit() {
  if (!in_batch_) {
    return Status::Internal("no store batch is open");
  }
  // A checkpoint failed since Begin: nothing more is acknowledged.
  Status s = checkpointer_->status();
  if (s.ok()) {
    s = db_.Exec("COMMIT");
  }
  if (!s.ok()) {
    // The batch is not durable. The caller stops; roll back so the handle stays consistent.
    (void)db_.Exec("ROLLBACK");
    in_batch_ = false;
    pending_audit_seq_ = audit_seq_;
    pending_audit_hash_ = audit_hash_;
    return s;
  }
  in_batch_ = false;
  audit_seq_ = pending_audit_seq_;
  audit_hash_ = pending_audit_hash_;
  return CheckpointIfWalAtCap();
}

void SqliteStore::Rollback() {
  if (in_batch_) {
    (void)db_.Exec("ROLLBACK");
    in_batch_ = false;
  }
  pending_audit_seq_ = audit_seq_;
  pending_audit_hash_ = audit_hash_;
}

Result<int64_t> SqliteStore::InsertMessage(const MessageRecord& r) {
  sqlite::SqliteStatement& st = insert_message_;
  st.Reset();
  st.BindBlob(1, r.message_id)
      .Bind(2, r.sender)
      .Bind(3, r.kind)
      .Bind(4, r.category)
      .Bind(5, r.urgency)
      .Bind(6, r.created_ms)
      .Bind(7, r.expires_ms)
      .Bind(8, r.accepted_ms);
  if (r.in_reply_to.empty()) {
    st.BindNull(9);
  } else {
    st.BindBlob(9, r.in_reply_to);
  }
  st.Bind(10, r.outcome_code).BindBlob(11, r.envelope);
  HUB_RETURN_IF_ERROR(st.Run());
  return static_cast<int64_t>(sqlite3_last_insert_rowid(db_.get()));
}

Status SqliteStore::PutAnswer(const AnswerRecord& a) {
  sqlite::SqliteStatement& st = put_answer_;
  st.Reset();
  st.Bind(1, a.sender)
      .BindBlob(2, a.message_id)
      .BindBlob(3, a.envelope_hash)
      .Bind(4, a.frame_type)
      .BindBlob(5, a.answer)
      .Bind(6, a.keep_until_ms);
  return st.Run();
}

Result<int64_t> SqliteStore::EnqueueMessage(std::string_view recipient, int64_t message_seq,
                                            int64_t queued_ms, int64_t expires_ms) {
  sqlite::SqliteStatement& st = enqueue_message_;
  st.Reset();
  st.Bind(1, recipient).Bind(2, message_seq).Bind(3, queued_ms).Bind(4, expires_ms);
  HUB_RETURN_IF_ERROR(st.Run());
  return static_cast<int64_t>(sqlite3_last_insert_rowid(db_.get()));
}

Result<int64_t> SqliteStore::EnqueueNotice(std::string_view recipient, std::string_view notice_id,
                                           std::string_view notice, int64_t queued_ms,
                                           int64_t expires_ms) {
  sqlite::SqliteStatement& st = enqueue_notice_;
  st.Reset();
  st.Bind(1, recipient)
      .BindBlob(2, notice_id)
      .BindBlob(3, notice)
      .Bind(4, queued_ms)
      .Bind(5, expires_ms);
  HUB_RETURN_IF_ERROR(st.Run());
  return static_cast<int64_t>(sqlite3_last_insert_rowid(db_.get()));
}

Status SqliteStore::RemoveQueued(int64_t delivery_id) {
  sqlite::SqliteStatement& st = remove_queued_;
  st.Reset();
  st.Bind(1, delivery_id);
  HUB_RETURN_IF_ERROR(st.Run());
  if (db_.changes() == 0) {
    return Status::NotFound("delivery " + std::to_string(delivery_id) + " is not queued");
  }
  return Status::Ok();
}

Status SqliteStore::AppendAudit(AuditEntry& e) {
  if (!in_batch_) {
    return Status::Internal("audit entries are written only inside a batch");
  }
  e.seq = pending_audit_seq_ + 1;
  e.prev_hash = pending_audit_hash_;
  e.hash = AuditEntryHash(e.prev_hash, e);
  sqlite::SqliteStatement& st = append_audit_;
  st.Reset();
  st.Bind(1, e.seq)
      .Bind(2, e.at_ms)
      .Bind(3, e.event)
      .Bind(4, e.actor)
      .BindBlob(5, e.message_id)
      .Bind(6, e.recipient)
      .Bind(7, e.reason_code)
      .Bind(8, e.basis)
      .BindBlob(9, e.subject_refs)
      .Bind(10, e.detail)
      .BindBlob(11, e.prev_hash)
      .BindBlob(12, e.hash);
  HUB_RETURN_IF_ERROR(st.Run());
  pending_audit_seq_ = e.seq;
  pending_audit_hash_ = e.hash;
  return Status::Ok();
}

Result<int64_t> SqliteStore::PurgeAnswers(int64_t now_ms) {
  HUB_ASSIGN_OR_RETURN(sqlite::SqliteStatement st,
                       db_.Prepare("DELETE FROM answers WHERE keep_until_ms < ?"));
  st.Bind(1, now_ms);
  HUB_RETURN_IF_ERROR(st.Run());
  return db_.changes();
}

Result<std::optional<AnswerRecord>> SqliteStore::FindAnswer(std::string_view sender,
                                                            std::string_view message_id) {
  sqlite::SqliteStatement& st = find_answer_;
  st.Reset();
  st.Bind(1, sender).BindBlob(2, message_id);
  HUB_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) {
    return std::optional<AnswerRecord>();
  }
  AnswerRecord a;
  a.sender = std::string(sender);
  a.message_id = std::string(message_id);
  a.envelope_hash = st.ColumnBlob(0);
  a.frame_type = static_cast<int32_t>(st.ColumnInt(1));
  a.answer = st.ColumnBlob(2);
  a.keep_until_ms = st.ColumnInt(3);
  st.Reset();
  return std::optional<AnswerRecord>(std::move(a));
}

Result<std::vector<QueuedItem>> SqliteStore::ReadItems(sqlite::SqliteStatement& st) {
  std::vector<QueuedItem> items;
  while (true) {
    HUB_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) {
      break;
    }
    QueuedItem item;
    item.delivery_id = st.ColumnInt(0);
    item.recipient = st.ColumnText(1);
    item.is_notice = st.ColumnIsNull(2);
    item.queued_ms = st.ColumnInt(5);
    item.expires_ms = st.ColumnInt(6);
    if (item.is_notice) {
      item.message_id = st.ColumnBlob(3);
      item.payload = st.ColumnBlob(4);
    } else {
      item.message_seq = st.ColumnInt(2);
      item.message_id = st.ColumnBlob(7);
      item.sender = st.ColumnText(8);
      item.payload = st.ColumnBlob(9);
    }
    items.push_back(std::move(item));
  }
  st.Reset();
  return items;
}

Result<std::vector<QueuedItem>> SqliteStore::LoadQueue(std::string_view recipient, int64_t after,
                                                       int limit) {
  load_queue_.Reset();
  load_queue_.Bind(1, recipient).Bind(2, after).Bind(3, limit);
  return ReadItems(load_queue_);
}

Result<std::vector<QueuedItem>> SqliteStore::LoadExpired(int64_t now_ms, int limit) {
  load_expired_.Reset();
  load_expired_.Bind(1, now_ms).Bind(2, limit);
  return ReadItems(load_expired_);
}

Result<std::vector<QueueDepth>> SqliteStore::QueueDepths() {
  HUB_ASSIGN_OR_RETURN(sqlite::SqliteStatement st,
                       db_.Prepare("SELECT recipient, count(*), min(queued_ms) FROM queue "
                                   "GROUP BY recipient ORDER BY recipient"));
  std::vector<QueueDepth> out;
  while (true) {
    HUB_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) {
      break;
    }
    out.push_back({st.ColumnText(0), st.ColumnInt(1), st.ColumnInt(2)});
  }
  return out;
}

Result<int64_t> SqliteStore::PurgeBodies(int64_t accepted_before_ms) {
  HUB_ASSIGN_OR_RETURN(
      sqlite::SqliteStatement st,
      db_.Prepare("UPDATE messages SET envelope = NULL WHERE envelope IS NOT NULL AND "
                  "accepted_ms < ? AND NOT EXISTS (SELECT 1 FROM queue q WHERE "
                  "q.message_seq = messages.seq)"));
  st.Bind(1, accepted_before_ms);
  HUB_RETURN_IF_ERROR(st.Run());
  return db_.changes();
}

Status SqliteStore::RecordConsentChange(const ConsentChangeRecord& r) {
  HUB_ASSIGN_OR_RETURN(sqlite::SqliteStatement st,
                       db_.Prepare("INSERT INTO consent_changes (subject_ref, state, "
                                   "recorded_at_ms, scope, message_id) VALUES (?,?,?,?,?)"));
  st.BindBlob(1, r.subject_ref)
      .Bind(2, r.state)
      .Bind(3, r.recorded_at_ms)
      .BindBlob(4, r.scope)
      .BindBlob(5, r.message_id);
  return st.Run();
}

Status SqliteStore::LinkSubject(std::string_view subject_ref, std::string_view agency) {
  link_subject_.Reset();
  link_subject_.BindBlob(1, subject_ref).Bind(2, agency);
  return link_subject_.Run();
}

Status SqliteStore::InsertTracking(const TrackingRecord& r) {
  sqlite::SqliteStatement& st = insert_tracking_;
  st.Reset();
  st.BindBlob(1, r.message_id)
      .Bind(2, r.recipient)
      .Bind(3, r.sender)
      .Bind(4, r.urgency)
      .Bind(5, r.accepted_ms)
      .Bind(6, r.delivered_ms)
      .Bind(7, r.acknowledged_ms)
      .Bind(8, r.outcome_ms)
      .Bind(9, r.outcome_code)
      .Bind(10, r.ack_due_ms)
      .Bind(11, r.outcome_due_ms)
      .Bind(12, r.stage)
      .Bind(13, r.next_due_ms);
  return st.Run();
}

Status SqliteStore::UpdateTracking(const TrackingRecord& r) { return InsertTracking(r); }

Status SqliteStore::AppendCheckpoint(Checkpoint& c) {
  HUB_ASSIGN_OR_RETURN(sqlite::SqliteStatement st,
                       db_.Prepare("INSERT INTO audit_checkpoints (audit_seq, audit_hash, at_ms, "
                                   "signature) VALUES (?,?,?,?)"));
  st.Bind(1, c.audit_seq).BindBlob(2, c.audit_hash).Bind(3, c.at_ms).BindBlob(4, c.signature);
  HUB_RETURN_IF_ERROR(st.Run());
  c.seq = static_cast<int64_t>(sqlite3_last_insert_rowid(db_.get()));
  return Status::Ok();
}

Status SqliteStore::PutMeta(std::string_view key, std::string_view value) {
  HUB_ASSIGN_OR_RETURN(sqlite::SqliteStatement st,
                       db_.Prepare("INSERT OR REPLACE INTO meta (key, value) VALUES (?,?)"));
  st.Bind(1, key).BindBlob(2, value);
  return st.Run();
}

Result<std::optional<MessageSummary>> SqliteStore::FindMessage(std::string_view message_id) {
  find_message_.Reset();
  find_message_.BindBlob(1, message_id);
  HUB_ASSIGN_OR_RETURN(bool row, find_message_.Step());
  std::optional<MessageSummary> out;
  if (row) {
    out = MessageSummary{find_message_.ColumnInt(0), find_message_.ColumnText(1),
                         static_cast<int32_t>(find_message_.ColumnInt(2)),
                         static_cast<int32_t>(find_message_.ColumnInt(3))};
  }
  find_message_.Reset();
  return out;
}

Result<std::vector<ConsentChangeRecord>> SqliteStore::ConsentHistory(
    const std::vector<std::string>& subject_refs) {
  sqlite::SqliteStatement& st = consent_history_;  // once per submission: prepared at Open
  std::vector<ConsentChangeRecord> out;
  for (const std::string& ref : subject_refs) {
    st.Reset();
    st.BindBlob(1, ref);
    while (true) {
      HUB_ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) {
        break;
      }
      out.push_back({st.ColumnBlob(0), static_cast<int32_t>(st.ColumnInt(1)), st.ColumnInt(2),
                     st.ColumnBlob(3), st.ColumnBlob(4)});
    }
  }
  st.Reset();
  return out;
}

Result<std::vector<std::string>> SqliteStore::AgenciesForSubject(std::string_view subject_ref) {
  HUB_ASSIGN_OR_RETURN(sqlite::SqliteStatement st,
                       db_.Prepare("SELECT agency FROM subject_recipients WHERE subject_ref = ? "
                                   "ORDER BY agency"));
  st.BindBlob(1, subject_ref);
  std::vector<std::string> out;
  while (true) {
    HUB_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) {
      break;
    }
    out.push_back(st.ColumnText(0));
  }
  return out;
}

Result<std::vector<TrackingRecord>> SqliteStore::ReadTracking(sqlite::SqliteStatement& st) {
  std::vector<TrackingRecord> out;
  while (true) {
    HUB_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) {
      break;
    }
    TrackingRecord r;
    r.message_id = st.ColumnBlob(0);
    r.recipient = st.ColumnText(1);
    r.sender = st.ColumnText(2);
    r.urgency = static_cast<int32_t>(st.ColumnInt(3));
    r.accepted_ms = st.ColumnInt(4);
    r.delivered_ms = st.ColumnInt(5);
    r.acknowledged_ms = st.ColumnInt(6);
    r.outcome_ms = st.ColumnInt(7);
    r.outcome_code = static_cast<int32_t>(st.ColumnInt(8));
    r.ack_due_ms = st.ColumnInt(9);
    r.outcome_due_ms = st.ColumnInt(10);
    r.stage = static_cast<int32_t>(st.ColumnInt(11));
    r.next_due_ms = st.ColumnInt(12);
    out.push_back(std::move(r));
  }
  st.Reset();
  return out;
}

Result<std::optional<TrackingRecord>> SqliteStore::FindTracking(std::string_view message_id,
                                                                std::string_view recipient) {
  find_tracking_.Reset();
  find_tracking_.BindBlob(1, message_id).Bind(2, recipient);
  HUB_ASSIGN_OR_RETURN(auto rows, ReadTracking(find_tracking_));
  if (rows.empty()) {
    return std::optional<TrackingRecord>();
  }
  return std::optional<TrackingRecord>(std::move(rows[0]));
}

Result<std::vector<TrackingRecord>> SqliteStore::DueTracking(int64_t now_ms, int limit) {
  due_tracking_.Reset();
  due_tracking_.Bind(1, now_ms).Bind(2, limit);
  return ReadTracking(due_tracking_);
}

Result<std::vector<TrackingRecord>> SqliteStore::OverdueTracking(int limit) {
  HUB_ASSIGN_OR_RETURN(sqlite::SqliteStatement st,
                       db_.Prepare(std::string("SELECT ") + std::string(kTrackingColumns) +
                                   " FROM tracking WHERE stage > 0 AND outcome_ms = 0 "
                                   "ORDER BY accepted_ms LIMIT ?"));
  st.Bind(1, limit);
  return ReadTracking(st);
}

Result<std::optional<Checkpoint>> SqliteStore::LastCheckpoint() {
  HUB_ASSIGN_OR_RETURN(sqlite::SqliteStatement st,
                       db_.Prepare("SELECT seq, audit_seq, audit_hash, at_ms, signature FROM "
                                   "audit_checkpoints ORDER BY seq DESC LIMIT 1"));
  HUB_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) {
    return std::optional<Checkpoint>();
  }
  return std::optional<Checkpoint>(Checkpoint{st.ColumnInt(0), st.ColumnInt(1), st.ColumnBlob(2),
                                              st.ColumnInt(3), st.ColumnBlob(4)});
}

Result<std::optional<std::string>> SqliteStore::GetMeta(std::string_view key) {
  HUB_ASSIGN_OR_RETURN(sqlite::SqliteStatement st,
                       db_.Prepare("SELECT value FROM meta WHERE key = ?"));
  st.Bind(1, key);
  HUB_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) {
    return std::optional<std::string>();
  }
  return std::optional<std::string>(st.ColumnBlob(0));
}

std::pair<int64_t, std::string> SqliteStore::AuditHead() const {
  return {pending_audit_seq_, pending_audit_hash_};
}

Result<int64_t> SqliteStore::SizeBytes() {
  HUB_ASSIGN_OR_RETURN(int64_t pages, db_.QueryInt("PRAGMA page_count"));
  HUB_ASSIGN_OR_RETURN(int64_t page_size, db_.QueryInt("PRAGMA page_size"));
  return pages * page_size;
}

}  // namespace hub::store
