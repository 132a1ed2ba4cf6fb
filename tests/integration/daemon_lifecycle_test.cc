// sghubd's start, reload and refusal to start: configuration errors name file, line and key;
// a corrupt store is never served from; a revoked agency is cut off on SIGHUP.
#include <signal.h>
#include <sys/wait.h>

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "hub/sqlite/sqlite_db.h"
#include "tests/integration/hub_fixture.h"

namespace hub::testutil {
namespace {

// Runs a command, returns its exit code and combined output.
std::pair<int, std::string> RunCommand(const std::string& command) {
  std::string output;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) {
    return {-1, "popen failed"};
  }
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), pipe)) > 0) {
    output.append(buf, n);
  }
  int status = pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
}

class DaemonLifecycleTest : public HubFixture {};

TEST_F(DaemonLifecycleTest, CheckConfigAcceptsAGoodFile) {
  auto [code, out] = RunCommand(BuiltProgram("hub/daemon/sghubd").string() + " --check-config " +
                                world_->config_path().string());
  EXPECT_EQ(code, 0) << out;
  EXPECT_NE(out.find("configuration is valid"), std::string::npos) << out;
}

TEST_F(DaemonLifecycleTest, CheckConfigNamesFileLineAndKeyOfAnError) {
  std::string text = ReadFile(world_->config_path());
  // Line 3 of the generated file is the listen endpoint: make it a hostname.
  auto pos = text.find("listen = ");
  ASSERT_NE(pos, std::string::npos);
  auto line = 1 + std::count(text.begin(), text.begin() + static_cast<long>(pos), '\n');
  text.replace(pos, text.find('\n', pos) - pos, "listen = \"tcp://example.org:7800\"");
  std::ofstream(world_->config_path()) << text;
  auto [code, out] = RunCommand(BuiltProgram("hub/daemon/sghubd").string() + " --check-config " +
                                world_->config_path().string());
  EXPECT_NE(code, 0);
  const std::string expected =
      world_->config_path().string() + ":" + std::to_string(line) + ": hub.listen";
  EXPECT_NE(out.find(expected), std::string::npos) << "expected '" << expected << "' in:\n" << out;
}

TEST_F(DaemonLifecycleTest, RefusesToStartOnACorruptStore) {
  StartHub();
  auto nhs = ConnectAs("nhs-north");
  for (int i = 0; i < 50; ++i) {
    auto envelope = world_->MakeAlert({.sender = "nhs-north", .recipients = {"council-west"}});
    ASSERT_TRUE(nhs->Submit(*envelope, 5000)->accepted);
  }
  nhs.reset();
  ASSERT_EQ(StopHub(), 0);
  {
    auto db = sqlite::SqliteDb::Open(world_->store_path());
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(db->Exec("PRAGMA wal_checkpoint(TRUNCATE)").ok());
  }
  {
    auto size = std::filesystem::file_size(world_->store_path());
    std::fstream f(world_->store_path(), std::ios::in | std::ios::out | std::ios::binary);
    std::string junk(64, '\x5A');
    for (std::uintmax_t page = 1; page * 4096 < size; ++page) {
      f.seekp(static_cast<std::streamoff>(page * 4096));
      f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
    }
  }
  auto hub = ChildProcess::StartHub(world_->config_path(), dir_ / "sghubd.log");
  ASSERT_TRUE(hub.ok());
  EXPECT_EQ((*hub)->Wait(20000), 2) << HubLog();
  EXPECT_NE(HubLog().find("store refused"), std::string::npos) << HubLog();
}

TEST_F(DaemonLifecycleTest, RefusesToStartWithAWorldReadableKeyFile) {
  std::filesystem::permissions(world_->dir() / "keys" / "hub.key",
                               std::filesystem::perms::others_read,
                               std::filesystem::perm_options::add);
  auto hub = ChildProcess::StartHub(world_->config_path(), dir_ / "sghubd.log");
  ASSERT_TRUE(hub.ok());
  EXPECT_EQ((*hub)->Wait(20000), 2) << HubLog();
  EXPECT_NE(HubLog().find("hub key file"), std::string::npos) << HubLog();
}

TEST_F(DaemonLifecycleTest, RevokedAgencyIsCutOffOnSighupAndCannotReconnect) {
  StartHub();
  auto council = ConnectAs("council-west");
  ASSERT_NE(council, nullptr);
  ASSERT_TRUE(world_->RevokeInConfig("council-west").ok());
  hub_->Signal(SIGHUP);
  // Poll: after the reload the live connection carries nothing but an error.
  bool cut_off = false;
  for (int attempt = 0; attempt < 50 && !cut_off; ++attempt) {
    auto envelope = world_->MakeAlert({.sender = "council-west", .recipients = {"nhs-north"}});
    ASSERT_TRUE(council->SendSubmit(*envelope).ok());
    auto frame = council->NextOfType(sghub::v1::FRAME_TYPE_ERROR, 200);
    cut_off = frame.ok();
  }
  EXPECT_TRUE(cut_off) << HubLog();
  auto again = HubClient::Connect(context_, world_->endpoint(), world_->agency("council-west"),
                                  world_->hub().card().transport, 1500);
  EXPECT_FALSE(again.ok()) << "a revoked agency completed a new handshake";
  // Others are unaffected.
  auto nhs = ConnectAs("nhs-north");
  ASSERT_NE(nhs, nullptr);
  auto envelope = world_->MakeAlert({.sender = "nhs-north", .recipients = {"police-west"}});
  EXPECT_TRUE(nhs->Submit(*envelope, 5000)->accepted);
}

}  // namespace
}  // namespace hub::testutil
