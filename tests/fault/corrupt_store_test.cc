// A corrupted store page is detected at start (PRAGMA quick_check): sghubd refuses with a
// clear message and exit code 2, and never serves from the store (no agency connects).
// The hub runs the full check only after an unclean stop (hub/store/sqlite_store.cc skips it
// after a clean shutdown, for start-up time), so the hub here dies by SIGKILL, as a crash or
// power loss that tears a page would leave it. docs/reliability.md discusses the clean case.
#include <gtest/gtest.h>

#include <signal.h>

#include <fstream>

#include "hub/sqlite/sqlite_db.h"
#include "tests/fault/fault_fixture.h"

namespace hub::testutil {
namespace {

class CorruptStoreTest : public FaultFixture {};

TEST_F(CorruptStoreTest, ACorruptPageIsDetectedAtStartAndNothingIsServed) {
  ASSERT_GE(StartHubTimed(), 0) << HubLog();
  auto nhs = TryConnect("nhs-north", 5000);
  ASSERT_NE(nhs, nullptr);
  for (int i = 0; i < 300; ++i) {
    std::string id;
    auto answer = nhs->Submit(Alert({"council-west"}, &id), 5000);
    ASSERT_TRUE(answer.ok() && answer->accepted);
  }
  nhs.reset();
  proc_->Signal(SIGKILL);
  ASSERT_EQ(proc_->Wait(10000), 128 + SIGKILL);
  {
    auto db = sqlite::SqliteDb::Open(world_->store_path());
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(db->Exec("PRAGMA wal_checkpoint(TRUNCATE)").ok());
  }
  // Overwrite the b-tree page headers of three pages in the middle of the file: what a torn
  // or bit-rotted write leaves behind.
  const auto size = std::filesystem::file_size(world_->store_path());
  const std::uintmax_t pages = size / 4096;
  ASSERT_GT(pages, 8u);
  {
    std::fstream f(world_->store_path(), std::ios::in | std::ios::out | std::ios::binary);
    const std::string junk(16, '\xA5');
    for (std::uintmax_t page = pages / 2; page < pages / 2 + 3; ++page) {
      f.seekp(static_cast<std::streamoff>(page * 4096));
      f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
    }
  }
  const int64_t started = MonoMs();
  SpawnHub();
  const int code = proc_->Wait(20000);
  const int64_t detection_ms = MonoMs() - started;
  EXPECT_EQ(code, 2) << HubLog();
  const std::string log = HubLog();
  EXPECT_NE(log.find("store refused"), std::string::npos) << log;
  EXPECT_NE(log.find("quick_check"), std::string::npos) << log;
  auto probe = HubClient::Connect(context_, world_->endpoint(), world_->agency("council-west"),
                                  world_->hub().card().transport, 500);
  EXPECT_FALSE(probe.ok()) << "a hub with a corrupt store accepted a connection";

  FaultLedger ledger;
  ledger.name = "corrupt_store_page";
  ledger.recovery_ms.push_back(detection_ms);
  ledger.extra["exit_code"] = std::to_string(code);
  ledger.extra["pages_corrupted"] = "3";
  ledger.extra["detection_ms"] = std::to_string(detection_ms);
  ledger.Print();
}

}  // namespace
}  // namespace hub::testutil
