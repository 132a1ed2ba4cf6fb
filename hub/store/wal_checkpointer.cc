#include "hub/store/wal_checkpointer.h"

#include <utility>

#include "hub/base/logging.h"

namespace hub::store {
namespace {

// Passes in a row that chase a busy writer before waiting for the next interval.
constexpr int kMaxChasePasses = 4;

}  // namespace

Result<std::unique_ptr<WalCheckpointer>> WalCheckpointer::Start(const std::filesystem::path& path,
                                                                Options options) {
  HUB_ASSIGN_OR_RETURN(sqlite::SqliteDb db, sqlite::SqliteDb::Open(path, options.vfs));
  // The checkpoint's syncs follow this connection's setting: FULL syncs the WAL before
  // copying and the database file after, so a completed checkpoint is on the disk.
  HUB_RETURN_IF_ERROR(db.Exec("PRAGMA synchronous=FULL"));
  // A connection opens the WAL on its first read; a checkpoint before that does nothing.
  HUB_ASSIGN_OR_RETURN(std::string mode, db.QueryText("PRAGMA journal_mode"));
  if (mode != "wal") {
    return Status::Internal("checkpointer: the database is in journal mode " + mode + ", not wal");
  }
  return std::make_unique<WalCheckpointer>(PrivateTag{}, std::move(db), std::move(options));
}

WalCheckpointer::WalCheckpointer(PrivateTag, sqlite::SqliteDb db, Options options)
    : options_(std::move(options)), db_(std::move(db)) {
  thread_ = std::thread([this] { Run(); });
}

WalCheckpointer::~WalCheckpointer() {
  Stop();
  // db_ closes after this body. The writer's connection is still open, so this close does
  // not checkpoint; the writer's close, last, does.
}

void WalCheckpointer::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) {
    thread_.join();
  }
}

void WalCheckpointer::NoteCommit(int64_t wal_frames) {
  if (wal_frames < wal_frames_.load(std::memory_order_relaxed)) {
    restarts_.fetch_add(1, std::memory_order_relaxed);  // the WAL started over
  }
  wal_frames_.store(wal_frames, std::memory_order_relaxed);
  commits_.fetch_add(1, std::memory_order_relaxed);
}

Status WalCheckpointer::status() const {
  if (!failed_.load(std::memory_order_acquire)) {
    return Status::Ok();
  }
  std::lock_guard<std::mutex> lock(mu_);
  return failure_;
}

void WalCheckpointer::Fail(const Status& why) {
  std::lock_guard<std::mutex> lock(mu_);
  if (failure_.ok()) {
    failure_ = why.ok() ? Status::Internal("wal checkpoint failed") : why;
    failed_.store(true, std::memory_order_release);
  }
}

WalCheckpointer::Stats WalCheckpointer::stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  Stats out = stats_;
  out.wal_frames = wal_frames();
  out.restarts = restarts_.load(std::memory_order_relaxed);
  return out;
}

void WalCheckpointer::Run() {
  // -1: the first commit always counts as new work.
  int64_t commits_at_last_pass = -1;
  bool last_pass_incomplete = false;
  std::unique_lock<std::mutex> lock(mu_);
  while (!stop_) {
    wake_.wait_for(lock, options_.interval, [this] { return stop_; });
    if (stop_ || !failure_.ok()) {
      continue;  // after a failure the owner stops; copying more could only make it worse
    }
    lock.unlock();
    // A pass that left frames behind (a reader still needed them, another checkpoint held
    // the lock) is retried even without new commits.
    if (wal_frames() >= options_.start_frames && wal_frames() < options_.writer_frames &&
        (commits_.load(std::memory_order_relaxed) != commits_at_last_pass ||
         last_pass_incomplete)) {
      // SQLite starts the WAL over only at a write that finds every frame copied, and it
      // syncs the database file only after a pass that copied up to the WAL's end. A commit
      // landing during a pass leaves both undone, so chase the writer with short passes
      // (each copies only what the last one missed) until one runs with no commit beside it.
      for (int attempt = 0; attempt < kMaxChasePasses; ++attempt) {
        commits_at_last_pass = commits_.load(std::memory_order_relaxed);
        last_pass_incomplete = !RunPass();
        if (last_pass_incomplete ||
            commits_.load(std::memory_order_relaxed) == commits_at_last_pass ||
            wal_frames() >= options_.writer_frames) {
          break;
        }
      }
    }
    lock.lock();
  }
}

bool WalCheckpointer::RunPass() {
  auto& log = Logger(Component::kStore);
  const auto started = std::chrono::steady_clock::now();
  Result<sqlite::CheckpointResult> result = db_.Checkpoint(sqlite::CheckpointMode::kPassive);
  if (!result.ok()) {
    const Status& s = result.status();
    if (s.IsUnavailable()) {
      return false;  // a lock held elsewhere: try again next time
    }
    if (s.IsResourceExhausted()) {
      // The WAL still holds every frame, so nothing is lost; the writer's next commit meets
      // the full disk itself and refuses work until space returns.
      if (!full_logged_) {
        log.warn("wal checkpoint: the disk is full; retrying: {}", s.message());
        full_logged_ = true;
      }
      return false;
    }
    log.error("wal checkpoint failed; durability is in doubt and the hub must stop: {}",
              s.ToString());
    Fail(s);
    return false;
  }
  full_logged_ = false;
  log.debug("wal checkpoint pass: {} of {} frames copied, busy {}, {} us",
            result->checkpointed_frames, result->log_frames, result->busy,
            std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() -
                                                                  started)
                .count());
  const bool complete = !result->busy && result->checkpointed_frames == result->log_frames;
  std::lock_guard<std::mutex> lock(mu_);
  ++stats_.passes;
  if (result->busy) {
    ++stats_.busy;  // SQLite reports no frame counts then
    return false;
  }
  if (complete) {
    ++stats_.complete;
  }
  stats_.last_log_frames = result->log_frames;
  stats_.last_checkpointed_frames = result->checkpointed_frames;
  return complete;
}

}  // namespace hub::store
