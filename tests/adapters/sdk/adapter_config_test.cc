#include "adapters/sdk/adapter_config.h"

#include <gtest/gtest.h>

#include <fstream>

#include "tests/testutil/temp_dir.h"

namespace hub::sdk {
namespace {

constexpr const char* kValid = R"toml([agency]
id = "nhs.north-trust"
kind = "nhs_mh"
key_file = "keys/nhs.key"
subject_key_file = "/etc/sghub/subject.key"
state_dir = "state"

[hub]
endpoint = "tcp://127.0.0.1:7400"
card = "keys/hub.card.toml"
reconnect_max = "30s"

[peers]
dir = "cards"

[defaults]
recipients = ["council.north"]
art6 = "public_task"
art9 = "sch1_para18_safeguarding"

[defaults.lifetime]
urgent = "2d"

[transport]
name = "spool"

[transport.spool]
root = "spool"
poll_interval = "1s"
)toml";

std::filesystem::path Write(const testutil::TempDir& dir, const std::string& text) {
  auto path = dir / "adapter.toml";
  std::ofstream(path) << text;
  return path;
}

TEST(AdapterConfigTest, LoadsAValidFileAndResolvesPathsAgainstItsDirectory) {
  testutil::TempDir dir;
  auto config = LoadAdapterConfig(Write(dir, kValid));
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->agency_id, "nhs.north-trust");
  EXPECT_EQ(config->kind, sghub::v1::AGENCY_KIND_NHS_MH);
  EXPECT_EQ(config->key_file, dir.path() / "keys/nhs.key");
  EXPECT_EQ(config->subject_key_file, "/etc/sghub/subject.key");
  EXPECT_EQ(config->reconnect_max_ms, 30000);
  EXPECT_EQ(config->default_recipients, std::vector<std::string>{"council.north"});
  EXPECT_EQ(config->default_lawful_basis.art6(), sghub::v1::ART6_BASIS_PUBLIC_TASK);
  EXPECT_EQ(config->lifetime_ms.at(sghub::v1::URGENCY_URGENT), 2LL * 24 * 3600 * 1000);
  EXPECT_EQ(config->spool.root, dir.path() / "spool");
  EXPECT_EQ(config->spool.poll_interval_ms, 1000);
  EXPECT_EQ(config->transport, "spool");
}

TEST(AdapterConfigTest, RefusesAnUnknownKeyNamingFileLineAndKey) {
  testutil::TempDir dir;
  std::string text = kValid;
  text.replace(text.find("reconnect_max"), 13, "reconect_max");
  auto path = Write(dir, text);
  auto config = LoadAdapterConfig(path);
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.status().message().find(path.string() + ":11: hub.reconect_max: unknown key"),
            std::string::npos)
      << config.status().message();
  EXPECT_NE(config.status().message().find("did you mean \"reconnect_max\""), std::string::npos);
}

TEST(AdapterConfigTest, ReportsEveryProblemAtOnce) {
  testutil::TempDir dir;
  auto config = LoadAdapterConfig(Write(dir, R"toml([agency]
id = "Bad Id"
kind = "fire_brigade"

[hub]
endpoint = "http://hub"

[transport]
name = "http"
)toml"));
  ASSERT_FALSE(config.ok());
  const std::string& m = config.status().message();
  for (const char* expected :
       {"agency.id", "agency.kind", "agency.key_file: missing", "agency.state_dir: missing",
        "hub.endpoint", "hub.card: missing", "transport.http: missing"}) {
    EXPECT_NE(m.find(expected), std::string::npos) << expected << " not in:\n" << m;
  }
}

TEST(AdapterConfigTest, NamesTheBadEnumValueAndListsTheAcceptedOnes) {
  testutil::TempDir dir;
  std::string text = kValid;
  text.replace(text.find("\"public_task\""), 13, "\"public_tsak\"");
  auto config = LoadAdapterConfig(Write(dir, text));
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.status().message().find("defaults.art6: unknown value \"public_tsak\""),
            std::string::npos)
      << config.status().message();
  EXPECT_NE(config.status().message().find("public_task"), std::string::npos);
}

TEST(AdapterConfigTest, MissingFileIsNotFound) {
  testutil::TempDir dir;
  auto config = LoadAdapterConfig(dir / "nope.toml");
  ASSERT_FALSE(config.ok());
  EXPECT_TRUE(config.status().IsNotFound());
}

}  // namespace
}  // namespace hub::sdk
