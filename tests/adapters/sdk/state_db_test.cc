#include "adapters/sdk/state_db.h"

#include <gtest/gtest.h>

#include "tests/testutil/temp_dir.h"

namespace hub::sdk {
namespace {

OutboxRow Row(const std::string& id, const std::string& source = "") {
  OutboxRow row;
  row.message_id = id;
  row.source = source;
  row.envelope = "sealed-" + id;
  row.created_ms = 1;
  row.expires_ms = 2;
  return row;
}

TEST(StateDbTest, UnansweredRowsComeBackInInsertionOrderAfterReopen) {
  testutil::TempDir dir;
  {
    auto db = StateDb::Open(dir / "state.db");
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    for (const char* id : {"c", "a", "b"}) {
      ASSERT_TRUE((*db)->InsertOutbox(Row(id)).ok());
    }
    ASSERT_TRUE(*(*db)->RecordAnswer("a", 4, "answer"));
  }
  auto db = StateDb::Open(dir / "state.db");
  ASSERT_TRUE(db.ok());
  auto rows = (*db)->LoadUnanswered(0, 10);
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0].message_id, "c");
  EXPECT_EQ((*rows)[1].message_id, "b");
  EXPECT_EQ((*rows)[1].envelope, "sealed-b");
  auto after = (*db)->LoadUnanswered((*rows)[0].seq, 10);
  ASSERT_EQ(after->size(), 1u);
  EXPECT_EQ((*after)[0].message_id, "b");
  EXPECT_EQ(*(*db)->UnansweredCount(), 2);
}

TEST(StateDbTest, AReplayedAnswerChangesNothing) {
  testutil::TempDir dir;
  auto db = std::move(*StateDb::Open(dir / "state.db"));
  ASSERT_TRUE(db->InsertOutbox(Row("m")).ok());
  EXPECT_TRUE(*db->RecordAnswer("m", 4, "first"));
  EXPECT_FALSE(*db->RecordAnswer("m", 5, "second"));
  auto row = db->FindByMessageId("m");
  ASSERT_TRUE(row.ok() && row->has_value());
  EXPECT_EQ((*row)->answer_type, 4);
  EXPECT_EQ((*row)->answer, "first");
  ASSERT_TRUE(db->Complete("m").ok());
  EXPECT_FALSE(db->FindByMessageId("m")->has_value());
  EXPECT_FALSE(*db->RecordAnswer("m", 4, "late"));
}

TEST(StateDbTest, ASourceCanBeEnqueuedOnlyOnce) {
  testutil::TempDir dir;
  auto db = std::move(*StateDb::Open(dir / "state.db"));
  ASSERT_TRUE(db->InsertOutbox(Row("m1", "spool:a.json:hash")).ok());
  auto again = db->InsertOutbox(Row("m2", "spool:a.json:hash"));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), Status::Code::kAlreadyExists);
  // Direct submissions have no source and never collide with each other.
  EXPECT_TRUE(db->InsertOutbox(Row("m3")).ok());
  EXPECT_TRUE(db->InsertOutbox(Row("m4")).ok());
  auto found = db->FindBySource("spool:a.json:hash");
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->message_id, "m1");
}

TEST(StateDbTest, SeenIdsPersistAndArePurgedAfterTheirTime) {
  testutil::TempDir dir;
  {
    auto db = std::move(*StateDb::Open(dir / "state.db"));
    ASSERT_TRUE(db->MarkSeen("alert1", SeenKind::kAlert, "nhs.north-trust", 10, 100).ok());
    ASSERT_TRUE(db->MarkSeen("notice1", SeenKind::kNotice, "hub", 10, 1000).ok());
  }
  auto db = std::move(*StateDb::Open(dir / "state.db"));
  EXPECT_TRUE(*db->IsSeen("alert1", SeenKind::kAlert));
  EXPECT_FALSE(*db->IsSeen("alert1", SeenKind::kNotice));
  EXPECT_EQ(**db->SenderOfSeenAlert("alert1"), "nhs.north-trust");
  ASSERT_TRUE(db->PurgeSeen(500).ok());
  EXPECT_FALSE(*db->IsSeen("alert1", SeenKind::kAlert));
  EXPECT_TRUE(*db->IsSeen("notice1", SeenKind::kNotice));
}

}  // namespace
}  // namespace hub::sdk
