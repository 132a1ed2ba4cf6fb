// SqliteStore's WAL checkpoints off the writer's thread (WalCheckpointer) and the writer's
// fallback at the WAL cap, on real SQLite files.
#include "hub/store/wal_checkpointer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <string>
#include <thread>

#include "hub/sqlite/sqlite_db.h"
#include "hub/store/sqlite_store.h"
#include "tests/hub/store/fault_vfs.h"
#include "tests/hub/store/sample_records.h"
#include "tests/testutil/temp_dir.h"

namespace hub::store {
namespace {

using std::chrono::milliseconds;

constexpr int64_t kPageBytes = 4096;
constexpr int64_t kFrameBytes = kPageBytes + 24;  // a WAL frame: header and page

// Polls `done` until it holds or 20 s pass (a slow sanitizer build on a busy machine).
bool WaitFor(const std::function<bool()>& done) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) {
      return false;
    }
    std::this_thread::sleep_for(milliseconds(1));
  }
  return true;
}

int64_t FileBytes(const std::filesystem::path& path) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  return ec ? 0 : static_cast<int64_t>(size);
}

int CountThreads() {
  int n = 0;
  for ([[maybe_unused]] const auto& entry :
       std::filesystem::directory_iterator("/proc/self/task")) {
    ++n;
  }
  return n;
}

std::string MessageId(int n) {
  char id[17];
  std::snprintf(id, sizeof(id), "m%015d", n);
  return id;
}

MessageRecord Message(int n, size_t body_bytes) {
  return SampleMessage(MessageId(n), std::string(body_bytes, static_cast<char>('a' + n % 26)),
                       1000 + n);
}

class WalCheckpointerTest : public ::testing::Test {
 protected:
  std::filesystem::path db_path() const { return dir_ / "sghub.db"; }
  std::filesystem::path wal_path() const { return dir_ / "sghub.db-wal"; }

  SqliteStore::Options FastOptions() const {
    SqliteStore::Options o;
    o.checkpoint_frames = 64;
    o.checkpoint_interval = milliseconds(2);
    o.wal_cap_bytes = int64_t{1} << 30;  // no fallback unless a test asks for one
    return o;
  }

  std::unique_ptr<SqliteStore> Open(const SqliteStore::Options& options) {
    auto store = SqliteStore::Open(db_path(), options);
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    if (!store.ok()) {
      return nullptr;
    }
    return std::unique_ptr<SqliteStore>(static_cast<SqliteStore*>(store->release()));
  }

  // One batch of `messages` alerts with `body_bytes` envelopes; returns Commit's status.
  Status WriteBatch(SqliteStore& store, int messages, size_t body_bytes) {
    HUB_RETURN_IF_ERROR(store.Begin());
    for (int i = 0; i < messages; ++i) {
      auto seq = store.InsertMessage(Message(next_id_++, body_bytes));
      if (!seq.ok()) {
        store.Rollback();
        return seq.status();
      }
    }
    return store.Commit();
  }

  // Reopens the store (default VFS) and expects the last message written to be there.
  std::unique_ptr<SqliteStore> ReopenExpectingLastMessage() {
    auto store = Open(FastOptions());
    if (store != nullptr) {
      auto found = store->FindMessage(MessageId(next_id_ - 1));
      EXPECT_TRUE(found.ok()) << found.status().ToString();
      EXPECT_TRUE(found.ok() && found->has_value()) << "message " << next_id_ - 1;
    }
    return store;
  }

  // True once a background pass copied the whole WAL as the last commit left it.
  static bool WalCopied(const SqliteStore& store) {
    const WalCheckpointer::Stats s = store.checkpointer_stats();
    return s.complete > 0 && s.last_log_frames == s.wal_frames &&
           s.last_checkpointed_frames == s.wal_frames;
  }

  testutil::TempDir dir_;
  int next_id_ = 0;
};

TEST_F(WalCheckpointerTest, BackgroundPassesKeepTheWalShortWithoutHelpFromCommit) {
  auto store = Open(FastOptions());
  ASSERT_NE(store, nullptr);
  int64_t max_wal = 0;
  for (int round = 0; round < 30; ++round) {
    // Past the threshold, then let the checkpointer catch up: the next batch starts the WAL
    // over from its beginning instead of appending.
    while (store->checkpointer_stats().wal_frames < 64) {
      ASSERT_TRUE(WriteBatch(*store, 10, 2000).ok());
      max_wal = std::max(max_wal, FileBytes(wal_path()));
    }
    ASSERT_TRUE(WaitFor([&] { return WalCopied(*store); })) << "round " << round;
  }
  EXPECT_TRUE(store->BackgroundStatus().ok());
  EXPECT_EQ(store->writer_checkpoints(), 0);
  // 30 rounds of at least 64 frames would be 7.9 MB without checkpoints.
  EXPECT_LT(max_wal, 200 * kFrameBytes) << "the WAL grew to " << max_wal << " bytes";
}

TEST_F(WalCheckpointerTest, CommitCheckpointsWhenTheWalReachesTheCap) {
  SqliteStore::Options o = FastOptions();
  o.checkpoint_frames = int64_t{1} << 40;  // the background never starts a pass
  o.wal_cap_bytes = 64 * kPageBytes;
  auto store = Open(o);
  ASSERT_NE(store, nullptr);
  int64_t max_wal = 0;
  for (int i = 0; i < 100; ++i) {  // about 4 MB
    ASSERT_TRUE(WriteBatch(*store, 10, 4000).ok());
    max_wal = std::max(max_wal, FileBytes(wal_path()));
  }
  EXPECT_EQ(store->checkpointer_stats().passes, 0);
  EXPECT_GT(store->writer_checkpoints(), 0);
  EXPECT_LT(max_wal, 200 * kFrameBytes) << "the WAL grew to " << max_wal << " bytes";
}

TEST_F(WalCheckpointerTest, WalStaysBoundedUnderSustainedWrites) {
  SqliteStore::Options o = FastOptions();
  o.wal_cap_bytes = 256 * kPageBytes;  // 1 MiB
  auto store = Open(o);
  ASSERT_NE(store, nullptr);
  int64_t max_wal = 0;
  constexpr int kBatches = 400;  // about 16 MB, written without a pause
  for (int i = 0; i < kBatches; ++i) {
    ASSERT_TRUE(WriteBatch(*store, 10, 4000).ok()) << "batch " << i;
    max_wal = std::max(max_wal, FileBytes(wal_path()));
  }
  const WalCheckpointer::Stats s = store->checkpointer_stats();
  RecordProperty("max_wal_bytes", std::to_string(max_wal));
  RecordProperty("background_passes", std::to_string(s.passes));
  RecordProperty("writer_checkpoints", std::to_string(store->writer_checkpoints()));
  EXPECT_TRUE(store->BackgroundStatus().ok());
  EXPECT_GT(s.passes, 0);
  EXPECT_LT(max_wal, 2 * o.wal_cap_bytes) << "the WAL grew to " << max_wal << " bytes";
  store.reset();

  auto reopened = Open(FastOptions());
  ASSERT_NE(reopened, nullptr);
  auto rows = reopened->db().QueryInt("SELECT count(*) FROM messages");
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(*rows, kBatches * 10);
}

TEST_F(WalCheckpointerTest, CheckpointedDataIsInTheDatabaseFileAndSurvivesReopen) {
  auto store = Open(FastOptions());
  ASSERT_NE(store, nullptr);
  while (store->checkpointer_stats().wal_frames < 64) {
    ASSERT_TRUE(WriteBatch(*store, 10, 2000).ok());
  }
  const int checkpointed = next_id_;
  ASSERT_TRUE(WaitFor([&] { return WalCopied(*store); }));

  // The database file alone, without its WAL, already holds every row written so far.
  const std::filesystem::path copy = dir_ / "copy.db";
  std::filesystem::copy_file(db_path(), copy);
  {
    auto db = sqlite::SqliteDb::Open(copy);
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    auto rows = db->QueryInt("SELECT count(*) FROM messages");
    ASSERT_TRUE(rows.ok()) << rows.status().ToString();
    EXPECT_EQ(*rows, checkpointed);
  }

  ASSERT_TRUE(WriteBatch(*store, 3, 2000).ok());  // only in the WAL until the close
  store.reset();
  auto reopened = Open(FastOptions());
  ASSERT_NE(reopened, nullptr);
  for (int n : {0, checkpointed - 1, checkpointed, next_id_ - 1}) {
    auto found = reopened->FindMessage(MessageId(n));
    ASSERT_TRUE(found.ok()) << found.status().ToString();
    EXPECT_TRUE(found->has_value()) << "message " << n;
  }
}

TEST_F(WalCheckpointerTest, ClosingJoinsTheThreadAndRemovesTheWal) {
  const int threads_before = CountThreads();
  auto store = Open(FastOptions());
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(CountThreads(), threads_before + 1);
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(WriteBatch(*store, 10, 2000).ok());
  }
  store.reset();  // without MarkCleanShutdown, as after a fatal error
  EXPECT_EQ(CountThreads(), threads_before);
  // Only the last connection to close checkpoints the WAL and deletes it: the checkpointer's
  // connection was closed first.
  EXPECT_FALSE(std::filesystem::exists(wal_path()));
}

TEST_F(WalCheckpointerTest, CleanShutdownStopsTheThreadAndIsTrustedOnReopen) {
  const int threads_before = CountThreads();
  auto store = Open(FastOptions());
  ASSERT_NE(store, nullptr);
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(WriteBatch(*store, 10, 2000).ok());
  }
  ASSERT_TRUE(store->MarkCleanShutdown().ok());
  EXPECT_EQ(CountThreads(), threads_before);
  store.reset();
  EXPECT_FALSE(std::filesystem::exists(wal_path()));

  auto reopened = ReopenExpectingLastMessage();
  ASSERT_NE(reopened, nullptr);
  EXPECT_FALSE(reopened->full_check_ran());
}

TEST_F(WalCheckpointerTest, AReaderHoldingOldFramesDelaysTheCheckpointWithoutAnError) {
  auto store = Open(FastOptions());
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(WriteBatch(*store, 1, 100).ok());
  auto reader = sqlite::SqliteDb::Open(db_path());
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  ASSERT_TRUE(reader->Exec("BEGIN").ok());
  ASSERT_TRUE(reader->QueryInt("SELECT count(*) FROM messages").ok());  // holds a snapshot

  while (store->checkpointer_stats().wal_frames < 128) {
    ASSERT_TRUE(WriteBatch(*store, 10, 2000).ok());
  }
  const int64_t passes = store->checkpointer_stats().passes;
  ASSERT_TRUE(WaitFor([&] { return store->checkpointer_stats().passes >= passes + 3; }));
  EXPECT_TRUE(store->BackgroundStatus().ok());
  EXPECT_FALSE(WalCopied(*store));

  // Nothing is committed after the reader lets go: the checkpointer retries on its own.
  ASSERT_TRUE(reader->Exec("COMMIT").ok());
  EXPECT_TRUE(WaitFor([&] { return WalCopied(*store); }));
  EXPECT_TRUE(store->BackgroundStatus().ok());
}

TEST_F(WalCheckpointerTest, BackgroundCheckpointIoErrorIsStickyAndStopsWrites) {
  FaultVfs vfs;
  SqliteStore::Options o = FastOptions();
  o.vfs = vfs.name();
  {
    auto store = Open(o);
    ASSERT_NE(store, nullptr);
    vfs.FailDatabaseSyncs(true);
    ASSERT_TRUE(WriteBatch(*store, 40, 4000).ok());  // well past 64 frames in one commit
    ASSERT_TRUE(WaitFor([&] { return !store->BackgroundStatus().ok(); }));
    EXPECT_GE(vfs.failed_syncs(), 1);
    const Status failure = store->BackgroundStatus();
    EXPECT_TRUE(failure.IsIOError()) << failure.ToString();

    EXPECT_TRUE(store->Begin().IsIOError());
    EXPECT_TRUE(store->MarkCleanShutdown().IsIOError());
    EXPECT_TRUE(store->BackgroundStatus().IsIOError()) << "the failure must stay";
    vfs.FailDatabaseSyncs(false);
    EXPECT_TRUE(store->BackgroundStatus().IsIOError()) << "the failure must stay";
  }
  // Committed work is still in the WAL; the store was not marked clean.
  auto reopened = ReopenExpectingLastMessage();
  ASSERT_NE(reopened, nullptr);
  EXPECT_TRUE(reopened->full_check_ran());
}

TEST_F(WalCheckpointerTest, CommitFallbackCheckpointIoErrorFailsTheCommit) {
  FaultVfs vfs;
  SqliteStore::Options o = FastOptions();
  o.vfs = vfs.name();
  o.checkpoint_frames = int64_t{1} << 40;  // only the writer checkpoints
  o.wal_cap_bytes = 64 * kPageBytes;
  {
    auto store = Open(o);
    ASSERT_NE(store, nullptr);
    vfs.FailDatabaseSyncs(true);
    const Status committed = WriteBatch(*store, 40, 4000);
    EXPECT_TRUE(committed.IsIOError()) << committed.ToString();
    EXPECT_GE(vfs.failed_syncs(), 1);
    EXPECT_TRUE(store->BackgroundStatus().IsIOError());
    EXPECT_TRUE(store->Begin().IsIOError());
    vfs.FailDatabaseSyncs(false);
  }
  // The batch itself was durable before its checkpoint failed (it was not acknowledged).
  EXPECT_NE(ReopenExpectingLastMessage(), nullptr);
}

TEST_F(WalCheckpointerTest, CleanShutdownIsNotRecordedWhenItsLastCheckpointFails) {
  FaultVfs vfs;
  SqliteStore::Options o = FastOptions();
  o.vfs = vfs.name();
  o.checkpoint_frames = int64_t{1} << 40;  // leaves the whole WAL to MarkCleanShutdown
  {
    auto store = Open(o);
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(WriteBatch(*store, 10, 2000).ok());
    vfs.FailDatabaseSyncs(true);
    const Status marked = store->MarkCleanShutdown();
    EXPECT_TRUE(marked.IsIOError()) << marked.ToString();
    vfs.FailDatabaseSyncs(false);
  }
  auto reopened = ReopenExpectingLastMessage();
  ASSERT_NE(reopened, nullptr);
  EXPECT_TRUE(reopened->full_check_ran());
}

}  // namespace
}  // namespace hub::store
