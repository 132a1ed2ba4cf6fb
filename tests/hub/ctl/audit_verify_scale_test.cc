// A 10 000-entry trail written through SqliteStore::AppendAudit verifies clean, and an edit
// deep inside it is still found at its seq. (The million-entry timing is docs/audit.md's.)
#include <gtest/gtest.h>

#include <cstdlib>
#include <nlohmann/json.hpp>

#include "hub/wire/key_files.h"
#include "tests/hub/ctl/audit_filler.h"
#include "tests/hub/ctl/ctl_runner.h"
#include "tests/testutil/temp_dir.h"

namespace hub::ctl {
namespace {

TEST(AuditVerifyScaleTest, TenThousandEntriesVerifyCleanAndADeepEditIsFound) {
  testutil::TempDir dir;
  auto hub = wire::AgencyKeys::Generate("hub", sghub::v1::AGENCY_KIND_HUB);
  ASSERT_TRUE(hub.ok());
  const auto db = dir.path() / "sghub.db";
  const auto card = dir.path() / "hub.card.toml";
  ASSERT_TRUE(FillAuditTrail(db, 10000, 3000, *hub).ok());
  ASSERT_TRUE(wire::WriteCardFile(hub->card(), card).ok());

  CtlRun clean =
      RunCtl({"audit", "verify", "--db", db.string(), "--hub-card", card.string(), "--json"});
  ASSERT_EQ(clean.exit_code, 0) << clean.out << clean.err;
  nlohmann::json j = nlohmann::json::parse(clean.out);
  EXPECT_EQ(j["entries"], 10000);
  EXPECT_EQ(j["checkpoints"], 4);  // at 3000, 6000, 9000 and the end
  EXPECT_EQ(j["last_checkpoint_seq"], 10000);

  const std::string sql =
      "sqlite3 '" + db.string() + "' \"UPDATE audit SET detail = '{}' WHERE seq = 7777\"";
  ASSERT_EQ(std::system(sql.c_str()), 0);
  CtlRun tampered =
      RunCtl({"audit", "verify", "--db", db.string(), "--hub-card", card.string(), "--json"});
  EXPECT_EQ(tampered.exit_code, 1) << tampered.out << tampered.err;
  EXPECT_EQ(nlohmann::json::parse(tampered.out)["first_bad_seq"], 7777);
}

}  // namespace
}  // namespace hub::ctl
