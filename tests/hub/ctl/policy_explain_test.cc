// `sghubctl policy explain` run as a binary on the example files in docs/policy-examples and
// the worked example of tests/hub/policy/testdata.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "tests/hub/ctl/ctl_runner.h"
#include "tests/testutil/paths.h"
#include "tests/testutil/temp_dir.h"

namespace hub::ctl {
namespace {

std::string Example(const std::string& name) {
  return (testutil::SourceDir() / "docs/policy-examples" / name).string();
}

TEST(PolicyExplainTest, ConsentInScopeForEveryRecipientExitsZero) {
  CtlRun run = RunCtl({"policy", "explain", "--header", Example("consent_given.json")});
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_NE(run.out.find("council-west: ALLOW on consent [R1.consent-in-scope]"), std::string::npos)
      << run.out;
  EXPECT_NE(run.out.find("police-west: ALLOW on consent [R1.consent-in-scope]"), std::string::npos)
      << run.out;
}

TEST(PolicyExplainTest, TightenedPolicyRefusesPoliceTheCategoryAndExitsOne) {
  CtlRun run = RunCtl({"policy", "explain", "--header", Example("consent_given.json"), "--policy",
                       Example("police_categories.toml")});
  EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
  EXPECT_NE(run.out.find("council-west: ALLOW on consent"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("police-west: REFUSE POLICY_CATEGORY_NOT_ALLOWED [OP.category-for-kind]"),
            std::string::npos)
      << run.out;
}

TEST(PolicyExplainTest, NotSoughtWithoutOverrideRefusesEachRecipientWithItsRule) {
  CtlRun run =
      RunCtl({"policy", "explain", "--header", Example("not_sought_no_override.json"), "--json"});
  EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
  nlohmann::json j = nlohmann::json::parse(run.out, nullptr, false);
  ASSERT_TRUE(j.is_object()) << run.out;
  ASSERT_EQ(j["decisions"].size(), 2u);
  for (const auto& d : j["decisions"]) {
    EXPECT_EQ(d["verdict"], "refuse");
    EXPECT_EQ(d["reason_code"], "CONSENT_REFUSED_NO_OVERRIDE");
    EXPECT_EQ(d["rule"], "R1.no-consent-no-override");
  }
  EXPECT_EQ(j["decisions"][0]["recipient"], "nhs-north");
  EXPECT_EQ(j["decisions"][1]["recipient"], "police-west");
}

TEST(PolicyExplainTest, WorkedExampleAllowsOverrideButRefusesPolice) {
  const std::string file =
      (testutil::SourceDir() / "tests/hub/policy/testdata/explain_withdrawn_then_override.json")
          .string();
  CtlRun run = RunCtl({"policy", "explain", "--header", file, "--json"});
  EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
  nlohmann::json j = nlohmann::json::parse(run.out, nullptr, false);
  ASSERT_TRUE(j.is_object()) << run.out;
  ASSERT_EQ(j["decisions"].size(), 3u);
  EXPECT_EQ(j["decisions"][0]["verdict"], "allow");
  EXPECT_EQ(j["decisions"][0]["basis_used"], "coercion_or_duress");
  EXPECT_EQ(j["decisions"][0]["shown_not_consented"], true);
  EXPECT_EQ(j["decisions"][1]["rule"], "R2.police-override-basis");
  EXPECT_EQ(j["decisions"][1]["reason_code"], "OVERRIDE_NOT_ALLOWED_FOR_RECIPIENT");
  EXPECT_EQ(j["decisions"][2]["verdict"], "allow");
}

TEST(PolicyExplainTest, MissingRecipientKindExitsTwoNamingTheKey) {
  testutil::TempDir dir;
  std::ifstream in(Example("consent_given.json"));
  nlohmann::json doc = nlohmann::json::parse(in);
  doc["recipient_kinds"].erase("police-west");
  std::ofstream(dir / "doc.json") << doc.dump();
  CtlRun run = RunCtl({"policy", "explain", "--header", (dir / "doc.json").string()});
  EXPECT_EQ(run.exit_code, 2) << run.out << run.err;
  EXPECT_TRUE(run.out.empty()) << run.out;
  EXPECT_NE(run.err.find("recipient_kinds"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("police-west"), std::string::npos) << run.err;
}

TEST(PolicyExplainTest, BadEnumValueExitsTwoNamingTheField) {
  testutil::TempDir dir;
  std::ifstream in(Example("consent_given.json"));
  nlohmann::json doc = nlohmann::json::parse(in);
  doc["header"]["consent"]["state"] = "CONSENT_STATE_MAYBE";
  std::ofstream(dir / "doc.json") << doc.dump();
  CtlRun run = RunCtl({"policy", "explain", "--header", (dir / "doc.json").string()});
  EXPECT_EQ(run.exit_code, 2) << run.out << run.err;
  EXPECT_NE(run.err.find("header.consent.state"), std::string::npos) << run.err;
}

TEST(PolicyExplainTest, ContradictoryPolicyExitsTwoWithFileLineAndKey) {
  CtlRun run = RunCtl({"policy", "explain", "--header", Example("consent_given.json"), "--policy",
                       Example("contradictory.toml")});
  EXPECT_EQ(run.exit_code, 2) << run.out << run.err;
  EXPECT_NE(run.err.find("contradictory.toml:4:policy.police.denied_categories"), std::string::npos)
      << run.err;
}

TEST(PolicyExplainTest, MissingHeaderFileExitsTwo) {
  CtlRun run = RunCtl({"policy", "explain", "--header", "/nonexistent/explain.json"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("--header"), std::string::npos) << run.err;
}

}  // namespace
}  // namespace hub::ctl
