#include "hub/store/sqlite_store.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "hub/sqlite/sqlite_db.h"
#include "hub/store/audit_chain.h"
#include "tests/hub/store/sample_records.h"
#include "tests/testutil/temp_dir.h"

namespace hub::store {
namespace {

AuditEntry SampleAudit(const std::string& event) {
  AuditEntry e;
  e.at_ms = 5;
  e.event = event;
  e.actor = "nhs-north";
  e.message_id = "0123456789abcdef";
  return e;
}

class SqliteStoreTest : public ::testing::Test {
 protected:
  MessageStorePtr OpenStore() {
    auto store = SqliteStore::Open(dir_ / "sghub.db");
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return std::move(store).value();
  }
  testutil::TempDir dir_;
};

TEST_F(SqliteStoreTest, ReplaysQueuedItemsInOrderAfterReopen) {
  {
    MessageStorePtr store = OpenStore();
    ASSERT_TRUE(store->Begin().ok());
    for (int i = 0; i < 3; ++i) {
      auto seq = store->InsertMessage(SampleMessage("id-" + std::to_string(i) + "-xxxxxxxxxx"));
      ASSERT_TRUE(seq.ok()) << seq.status().ToString();
      ASSERT_TRUE(store->EnqueueMessage("council-a", *seq, 1001, 9000).ok());
    }
    ASSERT_TRUE(store->EnqueueNotice("nhs-north", "notice-id", "signed notice", 1002, 9999).ok());
    ASSERT_TRUE(store->Commit().ok());
  }
  MessageStorePtr store = OpenStore();
  auto items = store->LoadQueue("council-a", 0, 10);
  ASSERT_TRUE(items.ok());
  ASSERT_EQ(items->size(), 3u);
  EXPECT_EQ((*items)[0].message_id, "id-0-xxxxxxxxxx");
  EXPECT_EQ((*items)[2].message_id, "id-2-xxxxxxxxxx");
  EXPECT_EQ((*items)[0].payload, std::string("sealed\0bytes", 12));
  EXPECT_LT((*items)[0].delivery_id, (*items)[1].delivery_id);
  auto after = store->LoadQueue("council-a", (*items)[0].delivery_id, 10);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->size(), 2u);
  auto notices = store->LoadQueue("nhs-north", 0, 10);
  ASSERT_TRUE(notices.ok());
  ASSERT_EQ(notices->size(), 1u);
  EXPECT_TRUE((*notices)[0].is_notice);
  EXPECT_EQ((*notices)[0].payload, "signed notice");
}

TEST_F(SqliteStoreTest, RolledBackBatchLeavesNothing) {
  MessageStorePtr store = OpenStore();
  ASSERT_TRUE(store->Begin().ok());
  auto seq = store->InsertMessage(SampleMessage("rolled-back-id--"));
  ASSERT_TRUE(seq.ok());
  ASSERT_TRUE(store->EnqueueMessage("council-a", *seq, 1, 2).ok());
  AuditEntry e = SampleAudit("accepted");
  ASSERT_TRUE(store->AppendAudit(e).ok());
  store->Rollback();
  auto items = store->LoadQueue("council-a", 0, 10);
  ASSERT_TRUE(items.ok());
  EXPECT_TRUE(items->empty());
  EXPECT_EQ(store->AuditHead().first, 0);
}

TEST_F(SqliteStoreTest, DuplicateMessageIdFromSameSenderIsRefused) {
  MessageStorePtr store = OpenStore();
  ASSERT_TRUE(store->Begin().ok());
  ASSERT_TRUE(store->InsertMessage(SampleMessage("same-id-xxxxxxxx")).ok());
  auto again = store->InsertMessage(SampleMessage("same-id-xxxxxxxx"));
  EXPECT_EQ(again.status().code(), Status::Code::kAlreadyExists);
  store->Rollback();
}

TEST_F(SqliteStoreTest, RemoveQueuedTwiceReportsNotFound) {
  MessageStorePtr store = OpenStore();
  ASSERT_TRUE(store->Begin().ok());
  auto seq = store->InsertMessage(SampleMessage("remove-me-xxxxxx"));
  auto id = store->EnqueueMessage("council-a", *seq, 1, 2);
  ASSERT_TRUE(id.ok());
  EXPECT_TRUE(store->RemoveQueued(*id).ok());
  EXPECT_TRUE(store->RemoveQueued(*id).IsNotFound());
  ASSERT_TRUE(store->Commit().ok());
}

TEST_F(SqliteStoreTest, ExpiredItemsAreFoundOldestFirst) {
  MessageStorePtr store = OpenStore();
  ASSERT_TRUE(store->Begin().ok());
  auto seq = store->InsertMessage(SampleMessage("expiring-xxxxxxx"));
  ASSERT_TRUE(store->EnqueueMessage("a", *seq, 1, 500).ok());
  ASSERT_TRUE(store->EnqueueMessage("b", *seq, 1, 100).ok());
  ASSERT_TRUE(store->EnqueueMessage("c", *seq, 1, 5000).ok());
  ASSERT_TRUE(store->Commit().ok());
  auto expired = store->LoadExpired(1000, 10);
  ASSERT_TRUE(expired.ok());
  ASSERT_EQ(expired->size(), 2u);
  EXPECT_EQ((*expired)[0].recipient, "b");
  EXPECT_EQ((*expired)[1].recipient, "a");
}

TEST_F(SqliteStoreTest, AnswersAreFoundBySenderAndIdAndPurgedAfterKeepUntil) {
  MessageStorePtr store = OpenStore();
  ASSERT_TRUE(store->Begin().ok());
  ASSERT_TRUE(store->PutAnswer({"nhs-north", "mid", "hash", 4, "answer-bytes", 100}).ok());
  ASSERT_TRUE(store->Commit().ok());
  auto found = store->FindAnswer("nhs-north", "mid");
  ASSERT_TRUE(found.ok());
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->answer, "answer-bytes");
  auto other_sender = store->FindAnswer("police-x", "mid");
  ASSERT_TRUE(other_sender.ok());
  EXPECT_FALSE(other_sender->has_value());
  ASSERT_TRUE(store->Begin().ok());
  auto purged = store->PurgeAnswers(101);
  ASSERT_TRUE(purged.ok());
  EXPECT_EQ(*purged, 1);
  ASSERT_TRUE(store->Commit().ok());
}

TEST_F(SqliteStoreTest, AuditChainLinksEntriesAndSurvivesReopen) {
  std::string head_hash;
  {
    MessageStorePtr store = OpenStore();
    ASSERT_TRUE(store->Begin().ok());
    AuditEntry a = SampleAudit("accepted");
    AuditEntry b = SampleAudit("delivered");
    ASSERT_TRUE(store->AppendAudit(a).ok());
    ASSERT_TRUE(store->AppendAudit(b).ok());
    EXPECT_EQ(b.prev_hash, a.hash);
    EXPECT_EQ(a.prev_hash, std::string(32, '\0'));
    EXPECT_EQ(b.hash, AuditEntryHash(a.hash, b));
    ASSERT_TRUE(store->Commit().ok());
    head_hash = b.hash;
  }
  MessageStorePtr store = OpenStore();
  EXPECT_EQ(store->AuditHead().first, 2);
  EXPECT_EQ(store->AuditHead().second, head_hash);
  ASSERT_TRUE(store->Begin().ok());
  AuditEntry c = SampleAudit("expired");
  ASSERT_TRUE(store->AppendAudit(c).ok());
  EXPECT_EQ(c.seq, 3);
  EXPECT_EQ(c.prev_hash, head_hash);
  ASSERT_TRUE(store->Commit().ok());
}

TEST_F(SqliteStoreTest, AuditHashChangesWhenAnyFieldChanges) {
  AuditEntry e = SampleAudit("accepted");
  std::string prev(32, '\0');
  std::string base = AuditEntryHash(prev, e);
  AuditEntry changed = e;
  changed.recipient = "police-x";
  EXPECT_NE(AuditEntryHash(prev, changed), base);
  changed = e;
  changed.reason_code = 31;
  EXPECT_NE(AuditEntryHash(prev, changed), base);
  changed = e;
  changed.seq = 9;
  EXPECT_NE(AuditEntryHash(prev, changed), base);
}

TEST_F(SqliteStoreTest, RefusesAFileThatIsNotADatabase) {
  {
    std::ofstream f(dir_ / "sghub.db");
    f << std::string(8192, 'x');
  }
  auto store = SqliteStore::Open(dir_ / "sghub.db");
  ASSERT_FALSE(store.ok());
  EXPECT_TRUE(store.status().IsCorruption()) << store.status().ToString();
}

TEST_F(SqliteStoreTest, RefusesAForeignSchemaVersion) {
  { OpenStore(); }
  {
    auto db = sqlite::SqliteDb::Open(dir_ / "sghub.db");
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(db->Exec("PRAGMA user_version=99").ok());
  }
  auto store = SqliteStore::Open(dir_ / "sghub.db");
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.status().message().find("schema version 99"), std::string::npos);
}

TEST_F(SqliteStoreTest, RefusesAStoreWithACorruptPage) {
  {
    MessageStorePtr store = OpenStore();
    ASSERT_TRUE(store->Begin().ok());
    for (int i = 0; i < 200; ++i) {
      auto seq = store->InsertMessage(SampleMessage("bulk-" + std::to_string(i) + "-padding"));
      ASSERT_TRUE(seq.ok());
      ASSERT_TRUE(store->EnqueueMessage("council-a", *seq, 1, 2).ok());
    }
    ASSERT_TRUE(store->Commit().ok());
    auto db = sqlite::SqliteDb::Open(dir_ / "sghub.db");
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(db->Exec("PRAGMA wal_checkpoint(TRUNCATE)").ok());
  }
  {
    // Overwrite the start of every page after the first with garbage, as a failing disk
    // would: each b-tree page header becomes invalid.
    auto size = std::filesystem::file_size(dir_ / "sghub.db");
    ASSERT_GT(size, 4096u * 3);
    std::fstream f(dir_ / "sghub.db", std::ios::in | std::ios::out | std::ios::binary);
    std::string junk(64, '\xA5');
    for (std::uintmax_t page = 1; page * 4096 < size; ++page) {
      f.seekp(static_cast<std::streamoff>(page * 4096));
      f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
    }
  }
  auto store = SqliteStore::Open(dir_ / "sghub.db");
  ASSERT_FALSE(store.ok());
  EXPECT_TRUE(store.status().IsCorruption()) << store.status().ToString();
}

TEST_F(SqliteStoreTest, ChecksInFullUnlessTheLastCloseWasClean) {
  auto open = [this]() {
    auto store = SqliteStore::Open(dir_ / "sghub.db");
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return std::unique_ptr<SqliteStore>(static_cast<SqliteStore*>(store->release()));
  };
  { open(); }  // created, then closed without a clean shutdown (as by a crash)
  {
    auto store = open();
    EXPECT_TRUE(store->full_check_ran());
    ASSERT_TRUE(store->MarkCleanShutdown().ok());
  }
  {
    auto store = open();
    EXPECT_FALSE(store->full_check_ran());  // trusted the clean shutdown
  }
  // That open marked the store as running again; closing without the mark is a crash.
  auto store = open();
  EXPECT_TRUE(store->full_check_ran());
}

TEST_F(SqliteStoreTest, RefusesACorruptStoreEvenAfterACleanShutdown) {
  {
    MessageStorePtr store = OpenStore();
    ASSERT_TRUE(store->Begin().ok());
    for (int i = 0; i < 200; ++i) {
      auto seq = store->InsertMessage(SampleMessage("bulk-" + std::to_string(i) + "-padding"));
      ASSERT_TRUE(seq.ok());
    }
    ASSERT_TRUE(store->Commit().ok());
    ASSERT_TRUE(store->MarkCleanShutdown().ok());
  }
  {
    auto db = sqlite::SqliteDb::Open(dir_ / "sghub.db");
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(db->Exec("PRAGMA wal_checkpoint(TRUNCATE)").ok());
  }
  {
    // The marker lives in the store too: a damaged store cannot vouch for itself.
    auto size = std::filesystem::file_size(dir_ / "sghub.db");
    std::fstream f(dir_ / "sghub.db", std::ios::in | std::ios::out | std::ios::binary);
    std::string junk(64, '\xA5');
    for (std::uintmax_t page = 1; page * 4096 < size; ++page) {
      f.seekp(static_cast<std::streamoff>(page * 4096));
      f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
    }
  }
  auto store = SqliteStore::Open(dir_ / "sghub.db");
  ASSERT_FALSE(store.ok());
  EXPECT_TRUE(store.status().IsCorruption()) << store.status().ToString();
}

}  // namespace
}  // namespace hub::store
