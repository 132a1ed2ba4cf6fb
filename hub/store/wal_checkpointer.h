// WalCheckpointer copies the WAL of a WAL-mode SQLite database into the database file from a
// thread and a connection of its own, so that the writer's commits never carry a checkpoint
// (SQLite's automatic checkpoint runs inside whichever commit crosses its threshold, on the
// writer's thread). The writer turns its automatic checkpoint off and reports each commit's WAL
// length through NoteCommit(). Every `interval`, once the WAL holds `start_frames` frames and
// something was committed since the last pass, the thread runs PASSIVE checkpoints: they never
// wait for the writer or for readers, and copy what no reader still needs. A commit that lands
// during a pass leaves the pass short of the WAL's end (SQLite then neither syncs the database
// file nor lets the next write start the WAL over), so the thread follows up with up to
// kMaxChasePasses short passes until one runs with no commit beside it. Its connection uses
// synchronous=FULL: the WAL is synced before the copy and the database file after it. Once
// the WAL reaches `writer_frames` the thread starts no pass, so that the writer's own
// checkpoint (SqliteStore's fallback) finds the checkpoint lock free.
//
// A checkpoint that fails for any reason other than a busy lock (normal: another checkpoint
// is running) or a full disk (the WAL still holds everything; the writer sees the full disk
// itself) makes status() that error for good: the database file may not hold what the WAL
// said, and the owner must stop (durability lost).
//
// Thread-safety: NoteCommit, wal_frames, status, Fail and stats may be called from any
// thread; Stop from the owner's. Destroying the object stops and joins the thread (after the pass
// in progress) and closes its connection; no other global state.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "hub/base/result.h"
#include "hub/base/status.h"
#include "hub/sqlite/sqlite_db.h"

namespace hub::store {

class WalCheckpointer {
 public:
  struct Options {
    // WAL length (frames) that starts a pass.
    int64_t start_frames = 1000;
    // WAL length from which the writer checkpoints itself; the thread then leaves the
    // checkpoint lock to it.
    int64_t writer_frames = std::numeric_limits<int64_t>::max();
    // How often the thread looks.
    std::chrono::milliseconds interval{50};
    // SQLite VFS of its connection; empty: the default.
    std::string vfs;
  };

  struct Stats {
    int64_t wal_frames = 0;                // WAL length reported by the last commit
    int64_t restarts = 0;                  // times the WAL started over from its beginning
    int64_t passes = 0;                    // checkpoints the thread ran
    int64_t busy = 0;                      // of those, found another checkpoint running
    int64_t complete = 0;                  // of those, copied every frame of the WAL
    int64_t last_log_frames = 0;           // WAL length seen by the last pass
    int64_t last_checkpointed_frames = 0;  // frames copied into the file as of the last pass
  };

  // Opens a second connection to the WAL-mode database at `path` (which must exist and
  // already be in WAL mode) and starts the thread. IOError or Corruption when the connection
  // cannot be opened or read; Internal when the database is not in WAL mode.
  static Result<std::unique_ptr<WalCheckpointer>> Start(const std::filesystem::path& path,
                                                        Options options);

  // Stops the thread, waiting for a pass in progress, joins it and closes the connection.
  ~WalCheckpointer();
  WalCheckpointer(const WalCheckpointer&) = delete;
  WalCheckpointer& operator=(const WalCheckpointer&) = delete;

  // The writer's commit hook: the WAL now holds `wal_frames` frames. Lock-free.
  void NoteCommit(int64_t wal_frames);
  // The WAL length reported by the last commit (0 before the first).
  int64_t wal_frames() const { return wal_frames_.load(std::memory_order_relaxed); }

  // OK, or the first checkpoint failure (sticky; see the file comment).
  Status status() const;
  // Records a checkpoint failure found by the writer's own checkpoint; the first one sticks.
  void Fail(const Status& why);

  Stats stats() const;

  // Stops the thread (waiting for a pass in progress) and joins it; no pass runs after it
  // returns. The rest stays usable. Idempotent; the destructor calls it. Owner thread.
  void Stop();

 private:
  struct PrivateTag {
    explicit PrivateTag() = default;
  };

 public:
  // For Start() only (make_unique needs a public constructor; PrivateTag keeps it private).
  WalCheckpointer(PrivateTag, sqlite::SqliteDb db, Options options);

 private:
  void Run();
  // One PASSIVE checkpoint. Returns true when it copied every frame of the WAL.
  bool RunPass();

  // Constant after Start().
  const Options options_;

  // Used by the thread only (and by Start before the thread exists).
  sqlite::SqliteDb db_;
  bool full_logged_ = false;  // a full disk was reported and has not cleared

  // Written by the writer's commits, read by the thread.
  std::atomic<int64_t> wal_frames_{0};
  std::atomic<int64_t> commits_{0};
  std::atomic<int64_t> restarts_{0};
  std::atomic<bool> failed_{false};  // fast path of status()

  mutable std::mutex mu_;
  std::condition_variable wake_;  // signalled on stop
  bool stop_ = false;             // guarded by mu_
  Status failure_;                // guarded by mu_
  Stats stats_;                   // guarded by mu_

  std::thread thread_;  // last: started once everything above exists
};

using WalCheckpointerPtr = std::unique_ptr<WalCheckpointer>;

}  // namespace hub::store
