// The real adapter binaries with the spool transport against a real sghubd: documents in,
// rendered deliveries and notices out, malformed input refused with every field named, and
// nothing lost or duplicated across a hub restart and adapter kills (SIGKILL).
#include <gtest/gtest.h>
#include <signal.h>

#include <fstream>
#include <set>

#include "tests/adapters/integration/adapter_process_fixture.h"

namespace hub::testutil {
namespace {

namespace fs = std::filesystem;

// Drops a document the way agency systems do: write NAME.tmp, then rename.
void Drop(const fs::path& inbox, const std::string& name, const std::string& content) {
  fs::create_directories(inbox);
  std::ofstream(inbox / (name + ".tmp")) << content;
  fs::rename(inbox / (name + ".tmp"), inbox / name);
}

size_t CountDocs(const fs::path& dir) {
  size_t n = 0;
  for (const std::string& name : ListFiles(dir)) {
    n += name.ends_with(".receipt") || name.ends_with(".error") ? 0 : 1;
  }
  return n;
}

class SpoolAdapterTest : public AdapterProcessFixture {
 protected:
  SpoolAdapterTest() : AdapterProcessFixture("spool") {}

  std::string TransportToml(const std::string& agency) const override {
    return "[transport.spool]\nroot = \"spool/" + agency + "\"\npoll_interval = \"50ms\"\n";
  }

  fs::path Spool(const std::string& agency, const std::string& sub) const {
    return env_->SpoolRoot(agency) / sub;
  }
};

TEST_F(SpoolAdapterTest, GoodFileEndsInSentAndTheRecipientsGetTheRenderedAlert) {
  ASSERT_TRUE(env_->StartHub().ok());
  Start(kNhs);
  Start(kCouncil);
  Start(kPolice);
  Drop(Spool(kNhs, "inbox"), "concern-0042.json", Example("nhs_mh-concern.json"));

  ASSERT_TRUE(WaitFor([&] { return fs::exists(Spool(kNhs, "sent") / "concern-0042.json"); }, 15000))
      << Logs();
  std::string receipt = ReadFile(Spool(kNhs, "sent") / "concern-0042.json.receipt");
  EXPECT_NE(receipt.find("recipient: council.north: queued"), std::string::npos) << receipt;
  EXPECT_TRUE(ListFiles(Spool(kNhs, "inbox")).empty());

  ASSERT_TRUE(WaitFor([&] { return CountDocs(Spool(kCouncil, "outbox")) == 1; }, 15000)) << Logs();
  const std::string delivered = ListFiles(Spool(kCouncil, "outbox"))[0];
  EXPECT_TRUE(delivered.starts_with("alert-") && delivered.ends_with(".json")) << delivered;
  std::string rendered = ReadFile(Spool(kCouncil, "outbox") / delivered);
  EXPECT_NE(rendered.find("9434765919"), std::string::npos);  // the council codec's rendering
  const size_t id_at = receipt.find("message_id: ");
  ASSERT_NE(id_at, std::string::npos);
  EXPECT_EQ(delivered, "alert-" + receipt.substr(id_at + 12, 32) + ".json");

  if (receipt.find("recipient: police.north: queued") != std::string::npos) {
    EXPECT_TRUE(WaitFor([&] { return CountDocs(Spool(kPolice, "outbox")) == 1; }, 15000));
  }
  // The NHS hears from the hub that the council has it.
  EXPECT_TRUE(WaitFor([&] { return !ListFiles(Spool(kNhs, "notices")).empty(); }, 15000)) << Logs();
  for (auto& [agency, process] : adapters_) {
    process->Signal(SIGTERM);
    EXPECT_EQ(process->Wait(10000), 0) << agency;
  }
}

TEST_F(SpoolAdapterTest, MalformedFileLandsInFailedWithAnErrorNamingEveryField) {
  ASSERT_TRUE(env_->StartHub().ok());
  Start(kCouncil);
  const std::string bad = CouncilConcernWithTwoBadFields();
  Drop(Spool(kCouncil, "inbox"), "bad.json", bad);
  Drop(Spool(kCouncil, "inbox"), "broken.json", "{ this is not json");
  // Ignored until renamed: a partial write must never be read.
  std::ofstream(Spool(kCouncil, "inbox") / "partial.json.tmp") << "{";
  std::ofstream(Spool(kCouncil, "inbox") / ".hidden.json") << "{";

  ASSERT_TRUE(WaitFor(
      [&] {
        return fs::exists(Spool(kCouncil, "failed") / "bad.json") &&
               fs::exists(Spool(kCouncil, "failed") / "broken.json");
      },
      15000))
      << Logs();
  std::string error = ReadFile(Spool(kCouncil, "failed") / "bad.json.error");
  EXPECT_NE(error.find("abuse_category"), std::string::npos) << error;
  EXPECT_NE(error.find("urgency"), std::string::npos) << error;
  EXPECT_FALSE(ReadFile(Spool(kCouncil, "failed") / "broken.json.error").empty());
  EXPECT_TRUE(fs::exists(Spool(kCouncil, "inbox") / "partial.json.tmp"));
  EXPECT_TRUE(fs::exists(Spool(kCouncil, "inbox") / ".hidden.json"));
  EXPECT_EQ(CountDocs(Spool(kCouncil, "sent")), 0u);
}

TEST_F(SpoolAdapterTest, SurvivesAHubRestartAndAdapterKillsWithNothingLostOrDuplicated) {
  constexpr int kDocuments = 24;
  auto name = [](int i) {
    char buf[32];
    std::snprintf(buf, sizeof(buf), "concern-%03d.json", i);
    return std::string(buf);
  };

  ASSERT_TRUE(env_->StartHub().ok());
  Start(kCouncil);
  Start(kNhs);
  for (int i = 0; i < kDocuments / 3; ++i) {
    Drop(Spool(kCouncil, "inbox"), name(i), NumberedCouncilConcernToNhs(i));
  }
  // The recipient dies (SIGKILL) as soon as it starts writing deliveries: some are written
  // but not acknowledged, some not written at all.
  ASSERT_TRUE(WaitFor([&] { return CountDocs(Spool(kNhs, "outbox")) >= 1; }, 15000)) << Logs();
  adapters_[kNhs]->Signal(SIGKILL);
  adapters_[kNhs]->Wait(5000);
  const size_t delivered_at_kill = CountDocs(Spool(kNhs, "outbox"));

  // The hub dies too, while the sender keeps taking documents.
  env_->KillHub();
  for (int i = kDocuments / 3; i < 2 * kDocuments / 3; ++i) {
    Drop(Spool(kCouncil, "inbox"), name(i), NumberedCouncilConcernToNhs(i));
  }
  // And the sender dies with unanswered alerts in its outbox.
  adapters_[kCouncil]->Signal(SIGKILL);
  adapters_[kCouncil]->Wait(5000);
  const size_t sent_at_kill = CountDocs(Spool(kCouncil, "sent"));
  RecordProperty("delivered_when_recipient_killed", static_cast<int>(delivered_at_kill));
  RecordProperty("sent_when_sender_killed", static_cast<int>(sent_at_kill));
  std::printf("recipient killed after %zu deliveries; sender killed after %zu answers\n",
              delivered_at_kill, sent_at_kill);
  for (int i = 2 * kDocuments / 3; i < kDocuments; ++i) {
    Drop(Spool(kCouncil, "inbox"), name(i), NumberedCouncilConcernToNhs(i));
  }

  ASSERT_TRUE(env_->StartHub().ok());
  Start(kCouncil);
  Start(kNhs);
  ASSERT_TRUE(WaitFor([&] { return CountDocs(Spool(kCouncil, "sent")) == kDocuments; }, 60000))
      << "sent " << CountDocs(Spool(kCouncil, "sent")) << "\n"
      << Logs();
  ASSERT_TRUE(WaitFor([&] { return CountDocs(Spool(kNhs, "outbox")) >= kDocuments; }, 60000))
      << "delivered " << CountDocs(Spool(kNhs, "outbox")) << "\n"
      << Logs();
  // Let any straggling redelivery land before counting.
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  EXPECT_EQ(CountDocs(Spool(kCouncil, "sent")), static_cast<size_t>(kDocuments));
  EXPECT_EQ(CountDocs(Spool(kCouncil, "failed")), 0u);
  EXPECT_TRUE(ListFiles(Spool(kCouncil, "inbox")).empty());
  // One file per message id: a document submitted twice would show up as an extra file.
  EXPECT_EQ(CountDocs(Spool(kNhs, "outbox")), static_cast<size_t>(kDocuments));
  std::set<std::string> references;
  for (const std::string& f : ListFiles(Spool(kNhs, "outbox"))) {
    std::string text = ReadFile(Spool(kNhs, "outbox") / f);
    size_t at = text.find("MOS-ASC-1");
    ASSERT_NE(at, std::string::npos) << f;
    references.insert(text.substr(at, 12));
  }
  EXPECT_EQ(references.size(), static_cast<size_t>(kDocuments));
}

TEST_F(SpoolAdapterTest, BadConfigExitsWithStatus2NamingFileLineAndKey) {
  const fs::path config =
      env_->WriteConfig(kPolice, "spool", "[transport.spool]\nroot = \"spool\"\npoll = \"1s\"\n");
  auto p = env_->StartAdapter(kPolice);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ((*p)->Wait(10000), 2);
  EXPECT_NE(env_->AdapterLog(kPolice).find(config.string() + ":"), std::string::npos);
  EXPECT_NE(env_->AdapterLog(kPolice).find("transport.spool.poll: unknown key"), std::string::npos)
      << env_->AdapterLog(kPolice);
}

}  // namespace
}  // namespace hub::testutil
