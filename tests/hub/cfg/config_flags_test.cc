#include "hub/cfg/config_flags.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace hub::cfg {
namespace {

constexpr const char* kDescription = "prog: runs from one configuration file";
constexpr const char* kConfigHelp = "prog configuration (TOML)";

ConfigFlags Parse(std::vector<const char*> args) {
  args.insert(args.begin(), "prog");
  return ParseConfigFlags(static_cast<int>(args.size()), args.data(), kDescription, kConfigHelp);
}

// Parses with stderr captured; returns the flags and what was printed there.
std::pair<ConfigFlags, std::string> ParseCapturingStderr(std::vector<const char*> args) {
  testing::internal::CaptureStderr();
  ConfigFlags flags = Parse(std::move(args));
  return {flags, testing::internal::GetCapturedStderr()};
}

TEST(ConfigFlagsTest, ConfigNamesTheFileToRun) {
  ConfigFlags flags = Parse({"--config", "/etc/sghub/hub.toml"});
  EXPECT_FALSE(flags.exit_code.has_value());
  EXPECT_EQ(flags.file, "/etc/sghub/hub.toml");
  EXPECT_FALSE(flags.check_only);
}

TEST(ConfigFlagsTest, CheckConfigNamesTheFileAndOnlyChecksIt) {
  ConfigFlags flags = Parse({"--check-config", "candidate.toml"});
  EXPECT_FALSE(flags.exit_code.has_value());
  EXPECT_EQ(flags.file, "candidate.toml");
  EXPECT_TRUE(flags.check_only);
}

TEST(ConfigFlagsTest, AcceptsTheEqualsForm) {
  ConfigFlags flags = Parse({"--check-config=candidate.toml"});
  EXPECT_FALSE(flags.exit_code.has_value());
  EXPECT_EQ(flags.file, "candidate.toml");
  EXPECT_TRUE(flags.check_only);
}

TEST(ConfigFlagsTest, NeitherOptionIsAUsageErrorWithExitCode2) {
  auto [flags, err] = ParseCapturingStderr({});
  EXPECT_EQ(flags.exit_code, 2);
  EXPECT_FALSE(err.empty());
}

TEST(ConfigFlagsTest, BothOptionsTogetherAreAUsageErrorWithExitCode2) {
  auto [flags, err] = ParseCapturingStderr({"--config", "a.toml", "--check-config", "b.toml"});
  EXPECT_EQ(flags.exit_code, 2);
  EXPECT_FALSE(err.empty());
}

TEST(ConfigFlagsTest, AnOptionWithoutItsFileIsAUsageErrorWithExitCode2) {
  auto [flags, err] = ParseCapturingStderr({"--config"});
  EXPECT_EQ(flags.exit_code, 2);
  EXPECT_NE(err.find("--config"), std::string::npos) << err;
}

TEST(ConfigFlagsTest, AnUnknownOptionIsAUsageErrorWithExitCode2) {
  auto [flags, err] = ParseCapturingStderr({"--config", "a.toml", "--verbose"});
  EXPECT_EQ(flags.exit_code, 2);
  EXPECT_NE(err.find("--verbose"), std::string::npos) << err;
}

TEST(ConfigFlagsTest, HelpExitsWith0AndDescribesBothOptions) {
  testing::internal::CaptureStdout();
  ConfigFlags flags = Parse({"--help"});
  const std::string out = testing::internal::GetCapturedStdout();
  EXPECT_EQ(flags.exit_code, 0);
  EXPECT_NE(out.find(kDescription), std::string::npos) << out;
  EXPECT_NE(out.find(kConfigHelp), std::string::npos) << out;
  EXPECT_NE(out.find("--check-config"), std::string::npos) << out;
}

}  // namespace
}  // namespace hub::cfg
