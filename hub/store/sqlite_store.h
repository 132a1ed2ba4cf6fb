// SqliteStore is the embedded MessageStore: one SQLite file in WAL mode with
// synchronous=FULL, so a committed batch survives power loss and kill -9. Opening checks the
// schema version and, unless the store was last closed by MarkCleanShutdown, runs PRAGMA
// quick_check over the whole file; a corrupt or foreign store is refused. (quick_check is
// O(store size): seconds with a million alerts queued. After a clean shutdown the start
// does not pay it; damage found later by a read is a Corruption that stops the hub, and the
// restart after that runs the full check. See docs/performance.md.)
//
// WAL checkpoints run off the owner's thread: the owner's connection has SQLite's automatic
// checkpoint turned off, and a WalCheckpointer (its own thread and connection) copies the WAL
// into the database file once it holds `checkpoint_frames` frames. SQLite starts the WAL over
// only at a write that finds all of it copied; should the WAL still reach `wal_cap_bytes` (a
// writer so busy that no background pass ever finished between two commits), Commit runs one
// PASSIVE checkpoint itself after the batch is durable, and the next batch starts the WAL
// over. A checkpoint failure other than a busy lock or a full disk (an I/O error, corruption)
// is sticky: BackgroundStatus() reports it, and Begin, Commit and MarkCleanShutdown fail with
// it from then on. Closing joins the thread and closes its connection first, so that the
// owner's connection, closed last, makes the final checkpoint and removes the WAL.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>

#include "hub/sqlite/sqlite_db.h"
#include "hub/store/message_store.h"
#include "hub/store/wal_checkpointer.h"

namespace hub::store {

class SqliteStore final : public MessageStore {
 public:
  struct Options {
    int64_t checkpoint_frames = 1000;                   // WAL frames that start a background pass
    std::chrono::milliseconds checkpoint_interval{50};  // how often the checkpointer looks
    int64_t wal_cap_bytes = int64_t{64} << 20;          // WAL length at which Commit checkpoints
    std::string vfs;  // SQLite VFS for both connections; empty: the default (tests inject faults)
  };

  // Opens or creates the store at `path`. Corruption when the file is damaged or is not an
  // sghub store of a supported schema version; IOError when it cannot be opened.
  static Result<MessageStorePtr> Open(const std::filesystem::path& path);
  static Result<MessageStorePtr> Open(const std::filesystem::path& path, const Options& options);

  // Stops and joins the checkpointer, then closes the database (which checkpoints the WAL).
  ~SqliteStore() override;
  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;

  // The meta key that records a clean shutdown ("1"); Open sets it to "0".
  static constexpr std::string_view kCleanShutdownKey = "clean_shutdown";
  // Records that the hub is stopping cleanly (no batch open, nothing more to write), so the
  // next Open may skip the full integrity check. Call last, just before closing. Stops the
  // checkpointer and checkpoints the WAL itself first; when that or an earlier checkpoint
  // failed, returns the error and leaves the store marked as not cleanly shut down.
  Status MarkCleanShutdown() override;
  // Whether Open ran the full integrity check (false when it trusted a clean shutdown).
  bool full_check_ran() const { return full_check_ran_; }

  // OK, or the sticky checkpoint failure (see the file comment). Cheap: an atomic load.
  Status BackgroundStatus() const override;
  // The background checkpointer's counters, and how often Commit had to checkpoint itself.
  WalCheckpointer::Stats checkpointer_stats() const { return checkpointer_->stats(); }
  int64_t writer_checkpoints() const { return writer_checkpoints_; }

  Status Begin() override;
  Status Commit() override;
  void Rollback() override;

  Result<int64_t> InsertMessage(const MessageRecord& record) override;
  Status PutAnswer(const AnswerRecord& answer) override;
  Result<int64_t> EnqueueMessage(std::string_view recipient, int64_t message_seq,
                                 int64_t queued_ms, int64_t expires_ms) override;
  Result<int64_t> EnqueueNotice(std::string_view recipient, std::string_view notice_id,
                                std::string_view notice, int64_t queued_ms,
                                int64_t expires_ms) override;
  Status RemoveQueued(int64_t delivery_id) override;
  Status AppendAudit(AuditEntry& entry) override;
  Result<int64_t> PurgeAnswers(int64_t now_ms) override;
  Result<int64_t> PurgeBodies(int64_t accepted_before_ms) override;
  Status RecordConsentChange(const ConsentChangeRecord& record) override;
  Status LinkSubject(std::string_view subject_ref, std::string_view agency) override;
  Status InsertTracking(const TrackingRecord& record) override;
  Status UpdateTracking(const TrackingRecord& record) override;
  Status AppendCheckpoint(Checkpoint& checkpoint) override;
  Status PutMeta(std::string_view key, std::string_view value) override;

  Result<std::optional<AnswerRecord>> FindAnswer(std::string_view sender,
                                                 std::string_view message_id) override;
  Result<std::vector<QueuedItem>> LoadQueue(std::string_view recipient, int64_t after,
                                            int limit) override;
  Result<std::vector<QueuedItem>> LoadExpired(int64_t now_ms, int limit) override;
  Result<std::optional<MessageSummary>> FindMessage(std::string_view message_id) override;
  Result<std::vector<ConsentChangeRecord>> ConsentHistory(
      const std::vector<std::string>& subject_refs) override;
  Result<std::vector<std::string>> AgenciesForSubject(std::string_view subject_ref) override;
  Result<std::optional<TrackingRecord>> FindTracking(std::string_view message_id,
                                                     std::string_view recipient) override;
  Result<std::vector<TrackingRecord>> DueTracking(int64_t now_ms, int limit) override;
  Result<std::vector<TrackingRecord>> OverdueTracking(int limit) override;
  Result<std::optional<Checkpoint>> LastCheckpoint() override;
  Result<std::optional<std::string>> GetMeta(std::string_view key) override;
  Result<std::vector<QueueDepth>> QueueDepths() override;
  std::pair<int64_t, std::string> AuditHead() const override;
  Result<int64_t> SizeBytes() override;

  // The underlying database, for components that add their own tables in the same file
  // and the same batches (consent registry, closed-loop tracking).
  sqlite::SqliteDb& db() { return db_; }

 private:
  SqliteStore(sqlite::SqliteDb db, const std::filesystem::path& path, const Options& options)
      : db_(std::move(db)), path_(path), options_(options) {}
  Status Initialise();
  Status StartCheckpointer();
  // The fallback of the file comment: runs after a durable commit once the WAL reached the cap.
  Status CheckpointIfWalAtCap();
  Status PrepareStatements();
  Status CheckIntegrity();
  Result<std::vector<QueuedItem>> ReadItems(sqlite::SqliteStatement& stmt);
  Result<std::vector<TrackingRecord>> ReadTracking(sqlite::SqliteStatement& stmt);

  // Constant after Open().
  sqlite::SqliteDb db_;
  const std::filesystem::path path_;
  const Options options_;
  int64_t wal_cap_frames_ = 0;
  sqlite::SqliteStatement insert_message_;
  sqlite::SqliteStatement put_answer_;
  sqlite::SqliteStatement enqueue_message_;
  sqlite::SqliteStatement enqueue_notice_;
  sqlite::SqliteStatement remove_queued_;
  sqlite::SqliteStatement append_audit_;
  sqlite::SqliteStatement find_answer_;
  sqlite::SqliteStatement load_queue_;
  sqlite::SqliteStatement load_expired_;
  sqlite::SqliteStatement find_message_;
  sqlite::SqliteStatement consent_history_;
  sqlite::SqliteStatement link_subject_;
  sqlite::SqliteStatement insert_tracking_;
  sqlite::SqliteStatement find_tracking_;
  sqlite::SqliteStatement due_tracking_;

  bool full_check_ran_ = true;

  // Started last in Open(), stopped first in the destructor. db_'s WAL commit hook points at
  // it (registered in StartCheckpointer, removed in the destructor).
  WalCheckpointerPtr checkpointer_;
  int64_t writer_checkpoints_ = 0;  // fallback checkpoints run by Commit
  bool wal_cap_logged_ = false;     // the WAL is at the cap and that was logged

  // Batch state.
  bool in_batch_ = false;
  int64_t audit_seq_ = 0;             // committed head
  std::string audit_hash_;            // committed head hash
  int64_t pending_audit_seq_ = 0;     // head including the open batch
  std::string pending_audit_hash_;
};

}  // namespace hub::store
