// Runs the built sghubctl binary ($SGHUB_BUILD_DIR/hub/ctl/sghubctl) as an operator would.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "hub/wire/key_files.h"
#include "hub/wire/subject_key.h"
#include "tests/testutil/temp_dir.h"

namespace hub::ctl {
namespace {

namespace fs = std::filesystem;

struct RunResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr together
};

fs::path Sghubctl() {
  const char* build = std::getenv("SGHUB_BUILD_DIR");
  return fs::path(build != nullptr ? build : ".") / "hub/ctl/sghubctl";
}

// Arguments are single-quoted; the tests only pass temp paths and fixed words.
RunResult RunSghubctl(const std::string& args) {
  RunResult result;
  const std::string command = "'" + Sghubctl().string() + "' " + args + " 2>&1";
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) {
    return result;
  }
  char buf[512];
  size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, pipe)) > 0) {
    result.output.append(buf, n);
  }
  const int status = ::pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

mode_t ModeOf(const fs::path& p) {
  struct stat st {};
  EXPECT_EQ(::stat(p.c_str(), &st), 0) << p;
  return st.st_mode & 07777;
}

std::string ReadAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

class KeygenCommandTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(fs::exists(Sghubctl())) << Sghubctl(); }
  std::string Out() const { return "'" + dir_.path().string() + "'"; }

  hub::testutil::TempDir dir_;
};

TEST_F(KeygenCommandTest, WritesASecretKeyFile0600AndACardThatParses) {
  const RunResult r = RunSghubctl("keygen --agency nhs-north --kind nhs_mh --out " + Out());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const fs::path key = dir_ / "nhs-north.key";
  const fs::path card = dir_ / "nhs-north.card.toml";
  EXPECT_EQ(ModeOf(key), 0600u);
  EXPECT_EQ(ModeOf(card) & 0600, 0600u);

  auto loaded_card = wire::LoadCardFile(card);
  ASSERT_TRUE(loaded_card.ok()) << loaded_card.status().ToString();
  EXPECT_EQ(loaded_card->id, "nhs-north");
  EXPECT_EQ(loaded_card->kind, sghub::v1::AGENCY_KIND_NHS_MH);
  auto keys = wire::LoadSecretKeyFile(key);
  ASSERT_TRUE(keys.ok()) << keys.status().ToString();
  EXPECT_EQ(keys->card().transport, loaded_card->transport);
  EXPECT_EQ(keys->card().signing, loaded_card->signing);
  EXPECT_EQ(keys->card().sealing, loaded_card->sealing);
  // The output names the files and fingerprints, never key material.
  EXPECT_NE(r.output.find(key.string()), std::string::npos) << r.output;
  EXPECT_NE(r.output.find(loaded_card->signing.Fingerprint()), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find(loaded_card->signing.Hex()), std::string::npos) << r.output;
}

TEST_F(KeygenCommandTest, HubKindIsAccepted) {
  const RunResult r = RunSghubctl("keygen --agency hub --kind hub --out " + Out());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  auto card = wire::LoadCardFile(dir_ / "hub.card.toml");
  ASSERT_TRUE(card.ok());
  EXPECT_EQ(card->kind, sghub::v1::AGENCY_KIND_HUB);
}

TEST_F(KeygenCommandTest, RefusesToOverwriteExistingKeys) {
  ASSERT_EQ(RunSghubctl("keygen --agency council-east --kind council --out " + Out()).exit_code, 0);
  const std::string before = ReadAll(dir_ / "council-east.key");
  const RunResult again = RunSghubctl("keygen --agency council-east --kind council --out " + Out());
  EXPECT_EQ(again.exit_code, 2);
  EXPECT_NE(again.output.find("already exists"), std::string::npos) << again.output;
  EXPECT_EQ(ReadAll(dir_ / "council-east.key"), before);

  // A leftover card alone also blocks, and no key file is written.
  std::ofstream(dir_ / "police-west.card.toml") << "x";
  EXPECT_EQ(RunSghubctl("keygen --agency police-west --kind police --out " + Out()).exit_code, 2);
  EXPECT_FALSE(fs::exists(dir_ / "police-west.key"));
}

TEST_F(KeygenCommandTest, BadArgumentsExitWithTwoAndAClearMessage) {
  RunResult r = RunSghubctl("keygen --agency nhs-north --kind ambulance --out " + Out());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("nhs_mh, council, police, hub"), std::string::npos) << r.output;

  r = RunSghubctl("keygen --agency 'NHS North' --kind nhs_mh --out " + Out());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("--agency"), std::string::npos) << r.output;

  r = RunSghubctl("keygen --agency nhs-north --kind nhs_mh --out '" + (dir_ / "missing").string() +
                  "'");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("not an existing directory"), std::string::npos) << r.output;

  r = RunSghubctl("keygen --agency nhs-north --kind nhs_mh");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("--out"), std::string::npos) << r.output;

  EXPECT_EQ(RunSghubctl("").exit_code, 2);
  EXPECT_EQ(RunSghubctl("no-such-command").exit_code, 2);
  EXPECT_EQ(RunSghubctl("--help").exit_code, 0);
  EXPECT_TRUE(fs::is_empty(dir_.path()));
}

TEST_F(KeygenCommandTest, GeneratedKeyFileWithMode0644IsRefusedWhenLoaded) {
  ASSERT_EQ(RunSghubctl("keygen --agency nhs-north --kind nhs_mh --out " + Out()).exit_code, 0);
  const fs::path key = dir_ / "nhs-north.key";
  ASSERT_EQ(::chmod(key.c_str(), 0644), 0);
  auto loaded = wire::LoadSecretKeyFile(key);
  ASSERT_FALSE(loaded.ok());
  EXPECT_TRUE(loaded.status().IsPermissionDenied());
  EXPECT_NE(loaded.status().message().find("0644"), std::string::npos);
  EXPECT_NE(loaded.status().message().find("chmod 600"), std::string::npos);
}

TEST_F(KeygenCommandTest, KeygenSubjectWritesA0600KeyAndRefusesToOverwrite) {
  const fs::path file = dir_ / "subject.key";
  const RunResult r = RunSghubctl("keygen-subject --out '" + file.string() + "'");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(ModeOf(file), 0600u);
  EXPECT_TRUE(wire::SubjectKey::LoadFile(file).ok());
  const RunResult again = RunSghubctl("keygen-subject --out '" + file.string() + "'");
  EXPECT_EQ(again.exit_code, 2);
  EXPECT_NE(again.output.find("already exists"), std::string::npos) << again.output;
}

}  // namespace
}  // namespace hub::ctl
