// `sghubctl audit verify` and `audit export` on a real store: a real sghubd accepts and
// delivers alerts and is stopped with SIGTERM (so it signs a shutdown checkpoint); then each
// test edits a fresh copy of the store with the sqlite3 command, as an intruder with file
// access would, and expects verify to exit 1 naming the first entry concerned.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <zmq.hpp>

#include "hub/base/bytes.h"
#include "hub/sqlite/sqlite_db.h"
#include "hub/wire/key_files.h"
#include "hub/wire/subject_ref.h"
#include "tests/hub/ctl/ctl_runner.h"
#include "tests/testutil/hub_client.h"
#include "tests/testutil/temp_dir.h"
#include "tests/testutil/test_world.h"

namespace hub::ctl {
namespace {

namespace fs = std::filesystem;
using testutil::HubClient;
using testutil::ChildProcess;
using testutil::TestWorld;

constexpr int kAlerts = 6;

// The store every test copies, built once by running a real hub.
struct BuiltStore {
  std::unique_ptr<testutil::TempDir> dir;
  fs::path db;
  fs::path hub_card;
  std::string subject_hex;
  int64_t head_seq = 0;
  int64_t checkpoints = 0;
};

Result<int64_t> CountCheckpoints(const fs::path& db_path) {
  HUB_ASSIGN_OR_RETURN(sqlite::SqliteDb db, sqlite::SqliteDb::OpenReadOnly(db_path));
  return db.QueryInt("SELECT count(*) FROM audit_checkpoints");
}

// Sends one alert from nhs-north to council-west and has it delivered and reported.
std::string SendAndDeliver(const TestWorld& world, HubClient& nhs, HubClient& council) {
  std::string id;
  auto envelope = world.MakeAlert({.sender = "nhs-north", .recipients = {"council-west"}}, &id);
  if (!envelope.ok()) return envelope.status().ToString();
  auto answer = nhs.Submit(*envelope, 5000);
  if (!answer.ok() || !answer->accepted) return "submit was not accepted";
  auto d = council.NextDelivery(5000);
  if (!d.ok() || d->message_id != id) return "council did not receive the alert";
  if (!council.Ack(*d).ok()) return "council ack failed";
  auto report = nhs.NextDelivery(5000);
  if (!report.ok() || !report->is_notice) return "nhs-north got no delivery report";
  if (!nhs.Ack(*report).ok()) return "nhs ack failed";
  return "";
}

// Returns an error message, or "" when `out` holds a store.
std::string Build(BuiltStore& out) {
  out.dir = std::make_unique<testutil::TempDir>();
  const fs::path dir = out.dir->path();
  // Checkpoints every second, so that the trail has several (plus the shutdown one).
  auto world = TestWorld::Create(dir,
                                 {{"nhs-north", sghub::v1::AGENCY_KIND_NHS_MH},
                                  {"council-west", sghub::v1::AGENCY_KIND_COUNCIL},
                                  {"police-west", sghub::v1::AGENCY_KIND_POLICE}},
                                 "\n[audit]\ncheckpoint_interval = \"1s\"\n");
  if (!world.ok()) return world.status().ToString();
  auto hub = ChildProcess::StartHub((*world)->config_path(), dir / "sghubd.log");
  if (!hub.ok()) return hub.status().ToString();
  zmq::context_t context(1);
  auto connect = [&](const std::string& agency) -> std::unique_ptr<HubClient> {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < deadline && (*hub)->Running()) {
      auto c = HubClient::Connect(context, (*world)->endpoint(), (*world)->agency(agency),
                                  (*world)->hub().card().transport, 500);
      if (c.ok()) return std::move(*c);
    }
    return nullptr;
  };
  auto nhs = connect("nhs-north");
  auto council = connect("council-west");
  if (nhs == nullptr || council == nullptr) {
    return "cannot connect to sghubd:\n" + testutil::ReadFile(dir / "sghubd.log");
  }
  for (int i = 0; i < kAlerts; ++i) {
    if (std::string e = SendAndDeliver(**world, *nhs, *council); !e.empty()) return e;
    if (i == kAlerts / 2 - 1) {
      // Wait for a periodic checkpoint, so the trail has one in the middle as well.
      const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
      while (true) {
        auto n = CountCheckpoints((*world)->store_path());
        if (n.ok() && *n >= 1) break;
        if (std::chrono::steady_clock::now() > deadline) return "no periodic checkpoint";
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
    }
  }
  nhs.reset();
  council.reset();
  (*hub)->Signal(SIGTERM);
  if (int code = (*hub)->Wait(20000); code != 0) {
    return "sghubd exit " + std::to_string(code) + "\n" + testutil::ReadFile(dir / "sghubd.log");
  }
  out.db = (*world)->store_path();
  out.hub_card = dir / "hub.card.toml";
  if (Status s = wire::WriteCardFile((*world)->hub().card(), out.hub_card); !s.ok()) {
    return s.ToString();
  }
  auto ref = wire::SubjectRefFromNhsNumber((*world)->subject_key(), "9434765919");
  if (!ref.ok()) return ref.status().ToString();
  out.subject_hex = HexEncode(ByteView(ref->data(), ref->size()));
  auto db = sqlite::SqliteDb::OpenReadOnly(out.db);
  if (!db.ok()) return db.status().ToString();
  auto head = db->QueryInt("SELECT max(seq) FROM audit");
  auto checkpoints = db->QueryInt("SELECT count(*) FROM audit_checkpoints");
  if (!head.ok() || !checkpoints.ok()) return "cannot read the store";
  out.head_seq = *head;
  out.checkpoints = *checkpoints;
  return "";
}

class AuditTamperTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    store_ = std::make_unique<BuiltStore>();
    build_error_ = Build(*store_);
  }
  static void TearDownTestSuite() { store_.reset(); }

  void SetUp() override {
    ASSERT_TRUE(build_error_.empty()) << build_error_;
    // 3 entries per alert (accepted, queued, delivered); the shutdown checkpoint covers all.
    ASSERT_EQ(store_->head_seq, 3 * kAlerts);
    ASSERT_GE(store_->checkpoints, 2);
    copy_ = dir_.path() / "sghub.db";
    fs::copy_file(store_->db, copy_);
  }

  // Runs SQL on the copy with the sqlite3 command-line tool.
  void Tamper(const std::string& sql) {
    const std::string cmd = "sqlite3 '" + copy_.string() + "' \"" + sql + "\"";
    ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
  }

  // Runs verify with the hub card and --json; returns the parsed report.
  nlohmann::json Verify(int expected_exit) {
    CtlRun run = RunCtl({"audit", "verify", "--db", copy_.string(), "--hub-card",
                         store_->hub_card.string(), "--json"});
    EXPECT_EQ(run.exit_code, expected_exit) << run.out << run.err;
    nlohmann::json j = nlohmann::json::parse(run.out, nullptr, false);
    EXPECT_TRUE(j.is_object()) << run.out << run.err;
    return j.is_object() ? j : nlohmann::json::object();
  }

  // Built once for the suite; each test works on its own copy.
  static inline std::unique_ptr<BuiltStore> store_;
  static inline std::string build_error_;
  testutil::TempDir dir_;
  fs::path copy_;
};

std::string ReadBytes(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST_F(AuditTamperTest, UntouchedStoreVerifiesCleanAndIsNotModified) {
  const std::string before = ReadBytes(copy_);
  nlohmann::json j = Verify(0);
  EXPECT_EQ(j["intact"], true);
  EXPECT_EQ(j["entries"], store_->head_seq);
  EXPECT_EQ(j["head_seq"], store_->head_seq);
  EXPECT_EQ(j["checkpoints"], store_->checkpoints);
  EXPECT_EQ(j["checkpoints_valid"], store_->checkpoints);
  EXPECT_EQ(j["last_checkpoint_seq"], store_->head_seq);  // the shutdown checkpoint
  EXPECT_EQ(j["unanchored_entries"], 0);
  EXPECT_TRUE(j["first_bad_seq"].is_null());
  EXPECT_EQ(j["key_source"], "card");
  EXPECT_EQ(ReadBytes(copy_), before);
}

TEST_F(AuditTamperTest, HumanSummaryWithTheStoredKeyWarnsThatItProvesLess) {
  CtlRun run = RunCtl({"audit", "verify", "--db", copy_.string()});
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_NE(run.out.find("entries checked:     " + std::to_string(store_->head_seq)),
            std::string::npos)
      << run.out;
  EXPECT_NE(run.out.find("result:              intact"), std::string::npos) << run.out;
  EXPECT_NE(run.err.find("recorded in the store itself"), std::string::npos) << run.err;
}

TEST_F(AuditTamperTest, EditedFieldIsReportedAtItsSeq) {
  Tamper("UPDATE audit SET recipient = 'police-west' WHERE seq = 5");
  nlohmann::json j = Verify(1);
  EXPECT_EQ(j["first_bad_seq"], 5);
  EXPECT_EQ(j["findings"][0]["kind"], "edited");
}

TEST_F(AuditTamperTest, EditedTimestampIsReportedAtItsSeq) {
  Tamper("UPDATE audit SET at_ms = at_ms - 3600000 WHERE seq = 8");
  nlohmann::json j = Verify(1);
  EXPECT_EQ(j["first_bad_seq"], 8);
}

TEST_F(AuditTamperTest, DeletedMiddleRowIsReportedAsRemoved) {
  Tamper("DELETE FROM audit WHERE seq = 7");
  nlohmann::json j = Verify(1);
  EXPECT_EQ(j["first_bad_seq"], 7);
  EXPECT_EQ(j["findings"][0]["kind"], "removed");
}

TEST_F(AuditTamperTest, SwappedSeqsAreReportedAsReorderedAtTheFirst) {
  Tamper(
      "UPDATE audit SET seq = -1 WHERE seq = 5; UPDATE audit SET seq = 5 WHERE seq = 9; "
      "UPDATE audit SET seq = 9 WHERE seq = -1;");
  nlohmann::json j = Verify(1);
  EXPECT_EQ(j["first_bad_seq"], 5);
  EXPECT_EQ(j["findings"][0]["kind"], "reordered");
}

TEST_F(AuditTamperTest, ForgedRowInsertedInTheMiddleIsReportedAtItsSeq) {
  // Make room at seq 6, then insert a plausible "delivered to police" entry chained to 5.
  Tamper(
      "UPDATE audit SET seq = seq + 1000000 WHERE seq >= 6; "
      "UPDATE audit SET seq = seq - 999999 WHERE seq >= 1000000; "
      "INSERT INTO audit (seq, at_ms, event, actor, message_id, recipient, reason_code, basis, "
      "subject_refs, detail, prev_hash, hash) SELECT 6, at_ms, 'delivered', 'police-west', "
      "message_id, 'police-west', 0, 0, subject_refs, '', hash, randomblob(32) FROM audit "
      "WHERE seq = 5;");
  nlohmann::json j = Verify(1);
  EXPECT_EQ(j["first_bad_seq"], 6);
  EXPECT_EQ(j["entries"], store_->head_seq + 1);
}

TEST_F(AuditTamperTest, TruncatedTailIsReportedAgainstTheLastCheckpoint) {
  const int64_t keep = store_->head_seq - 3;
  Tamper("DELETE FROM audit WHERE seq > " + std::to_string(keep));
  nlohmann::json j = Verify(1);
  EXPECT_EQ(j["first_bad_seq"], keep + 1);
  EXPECT_EQ(j["findings"][0]["kind"], "truncated");
  EXPECT_EQ(j["head_seq"], keep);
}

TEST_F(AuditTamperTest, TruncationHiddenByEditingTheCheckpointFailsItsSignature) {
  const int64_t keep = store_->head_seq - 3;
  Tamper("DELETE FROM audit WHERE seq > " + std::to_string(keep) +
         "; UPDATE audit_checkpoints SET audit_seq = " + std::to_string(keep) +
         ", audit_hash = (SELECT hash FROM audit WHERE seq = " + std::to_string(keep) +
         ") WHERE seq = (SELECT max(seq) FROM audit_checkpoints);");
  nlohmann::json j = Verify(1);
  ASSERT_FALSE(j["findings"].empty());
  bool signature_finding = false;
  for (const auto& f : j["findings"]) {
    signature_finding = signature_finding || f["kind"] == "checkpoint";
  }
  EXPECT_TRUE(signature_finding) << j.dump();
}

TEST_F(AuditTamperTest, MissingStoreExitsTwoAndIsNotCreated) {
  const fs::path missing = dir_.path() / "nothing.db";
  CtlRun run = RunCtl({"audit", "verify", "--db", missing.string()});
  EXPECT_EQ(run.exit_code, 2) << run.out << run.err;
  EXPECT_NE(run.err.find("--db"), std::string::npos) << run.err;
  EXPECT_FALSE(fs::exists(missing));
}

TEST_F(AuditTamperTest, ExportListsWhatWasSharedAboutTheSubject) {
  CtlRun run =
      RunCtl({"audit", "export", "--db", copy_.string(), "--subject", store_->subject_hex});
  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  nlohmann::json j = nlohmann::json::parse(run.out, nullptr, false);
  ASSERT_TRUE(j.is_object()) << run.out;
  EXPECT_EQ(j["subject_ref"], store_->subject_hex);
  ASSERT_EQ(j["events"].size(), static_cast<size_t>(3 * kAlerts));
  const auto& queued = j["events"][1];
  EXPECT_EQ(queued["event"], "queued");
  EXPECT_EQ(queued["from"], "nhs-north");
  EXPECT_EQ(queued["to"], "council-west");
  EXPECT_EQ(queued["kind"], "concern");
  EXPECT_EQ(queued["category"], "targeted_hostility");
  EXPECT_EQ(queued["basis"], "consent");
  EXPECT_EQ(j["events"][2]["event"], "delivered");
  EXPECT_EQ(j["events"][2]["kind"], "concern");  // carried from the accepted entry

  CtlRun csv = RunCtl({"audit", "export", "--db", copy_.string(), "--subject", store_->subject_hex,
                       "--format", "csv"});
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  EXPECT_EQ(
      csv.out.rfind(
          "seq,when,event,message_id,from,to,kind,category,basis,person_told,reason,note\r\n", 0),
      0u)
      << csv.out;
  size_t lines = 0;
  for (size_t at = 0; (at = csv.out.find("\r\n", at)) != std::string::npos; at += 2) ++lines;
  EXPECT_EQ(lines, 1u + 3 * kAlerts);
}

TEST_F(AuditTamperTest, ExportOfAnotherSubjectIsEmpty) {
  CtlRun run =
      RunCtl({"audit", "export", "--db", copy_.string(), "--subject", std::string(64, 'a')});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  nlohmann::json j = nlohmann::json::parse(run.out, nullptr, false);
  EXPECT_TRUE(j["events"].empty()) << run.out;
}

TEST_F(AuditTamperTest, ExportRefusesABadSubjectOrFormat) {
  EXPECT_EQ(RunCtl({"audit", "export", "--db", copy_.string(), "--subject", "xyz"}).exit_code, 2);
  EXPECT_EQ(RunCtl({"audit", "export", "--db", copy_.string(), "--subject", store_->subject_hex,
                    "--format", "xml"})
                .exit_code,
            2);
}

}  // namespace
}  // namespace hub::ctl
