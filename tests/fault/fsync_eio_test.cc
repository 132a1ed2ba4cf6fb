// fdatasync/fsync failing with EIO (injected with strace): the hub exits non-zero
// (kExitDurabilityLost) and never answers the submission whose commit failed, nor anything
// after it; everything it did acknowledge before is still delivered after a normal restart.
// Skipped, saying so, when strace is not installed (deploy/dev/install-deps.sh installs it).
#include <signal.h>

#include <gtest/gtest.h>

#include "tests/fault/fault_fixture.h"

namespace hub::testutil {
namespace {

constexpr int kExitDurabilityLost = 3;  // hub/core/broker.h

class FsyncEioTest : public FaultFixture {};

TEST_F(FsyncEioTest, HubExitsNonZeroAndNeverAcknowledgesAfterAFailedSync) {
  if (std::system("strace -V >/dev/null 2>&1") != 0) {
    GTEST_SKIP() << "strace is not installed";
  }
  // Create the store first, so that the injected failures hit commits of submissions.
  ASSERT_GE(StartHubTimed(), 0) << HubLog();
  ASSERT_EQ(StopFaultHub(), 0);

  // From the 25th sync call of a thread on, every fdatasync and fsync fails with EIO.
  Launch strace{{"strace", "-f", "-qq", "-o", "/dev/null", "-e", "trace=fdatasync,fsync", "-e",
                 "inject=fdatasync,fsync:error=EIO:when=25+"},
                // LeakSanitizer cannot run under ptrace; the other ASan checks still do.
                {{"ASAN_OPTIONS", "detect_leaks=0:abort_on_error=1:verify_asan_link_order=0"}}};
  ASSERT_GE(StartHubTimed(20000, strace), 0) << HubLog();
  auto nhs = TryConnect("nhs-north", 5000);
  ASSERT_NE(nhs, nullptr);
  FaultLedger ledger;
  ledger.name = "fsync_eio";
  std::set<std::string> accepted;
  std::string unanswered_id;
  for (int i = 0; i < 500; ++i) {
    std::string id;
    auto answer = nhs->Submit(Alert({"council-west"}, &id), 3000);
    ++ledger.submitted;
    if (!answer.ok()) {
      unanswered_id = id;
      break;
    }
    ASSERT_TRUE(answer->accepted) << answer->refused_msg.reason();
    accepted.insert(id);
  }
  ASSERT_FALSE(unanswered_id.empty()) << "the injected EIO never stopped the hub";
  const int code = proc_->Wait(10000);
  EXPECT_EQ(code, kExitDurabilityLost) << HubLog();
  // Nothing more is ever acknowledged: a late answer for the failed commit would show here.
  auto late = nhs->NextAnswer(500);
  EXPECT_FALSE(late.ok()) << "an answer arrived after the failed sync";
  EXPECT_NE(HubLog().find("durability lost"), std::string::npos) << HubLog();

  // A normal restart: every acknowledged alert is there; the unanswered one is not counted.
  const int64_t recovery = StartHubTimed();
  ASSERT_GE(recovery, 0) << HubLog();
  ledger.recovery_ms.push_back(recovery);
  auto council = TryConnect("council-west", 5000);
  ASSERT_NE(council, nullptr);
  DedupReceiver receiver;
  receiver.Drain(*council, 1000, 20000);
  ledger.accepted = static_cast<int64_t>(accepted.size());
  for (const std::string& id : accepted) {
    ledger.lost += receiver.seen.count(id) == 0 ? 1 : 0;
  }
  ledger.delivered_unique = static_cast<int64_t>(receiver.seen.size());
  ledger.raw_duplicates = receiver.raw_duplicates;
  ledger.extra["exit_code"] = std::to_string(code);
  ledger.extra["unanswered_delivered_after_restart"] =
      std::to_string(receiver.seen.count(unanswered_id));
  ledger.Print();
  EXPECT_GT(ledger.accepted, 0);
  EXPECT_EQ(ledger.lost, 0);
}

}  // namespace
}  // namespace hub::testutil
