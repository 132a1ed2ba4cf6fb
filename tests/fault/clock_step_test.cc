// The hub's wall clock stepped forward and back (libfaketime, stepped while sghubd runs
// through FAKETIME_TIMESTAMP_FILE; the monotonic clock is left alone, as a real step leaves
// it). Nothing may expire en masse before its real expiry (no expiry storm of non-delivery
// reports), and a replayed old envelope still gets its original answer, never a second
// delivery. docs/reliability.md explains the hub's two timelines.
#include <gtest/gtest.h>

#include <fstream>
#include <thread>

#include "tests/fault/fault_fixture.h"

namespace hub::testutil {
namespace {

constexpr char kFaketimeLib[] = "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1";

class ClockStepTest : public FaultFixture {
 protected:
  void StepTo(const std::string& offset) {
    std::ofstream(world_->dir() / "faketime") << offset << "\n";
  }
};

TEST_F(ClockStepTest, NoExpiryStormAndNoReopenedReplayWindow) {
  if (!std::filesystem::exists(kFaketimeLib)) {
    GTEST_SKIP() << "libfaketime is not installed (package faketime)";
  }
  StepTo("+0");
  Launch faked{{},
               {{"LD_PRELOAD", kFaketimeLib},
                {"FAKETIME_TIMESTAMP_FILE", (world_->dir() / "faketime").string()},
                {"FAKETIME_NO_CACHE", "1"},
                {"FAKETIME_DONT_FAKE_MONOTONIC", "1"}}};
  ASSERT_GE(StartHubTimed(20000, faked), 0) << HubLog();
  auto nhs = TryConnect("nhs-north", 5000);
  ASSERT_NE(nhs, nullptr);
  FaultLedger ledger;
  ledger.name = "clock_step";
  std::set<std::string> accepted;
  std::string old_envelope;
  int64_t old_accepted_at = 0;
  for (int i = 0; i < 100; ++i) {
    std::string id;
    std::string envelope = Alert({"council-west"}, &id, 3600000);  // one hour to live
    auto answer = nhs->Submit(envelope, 5000);
    ASSERT_TRUE(answer.ok() && answer->accepted);
    accepted.insert(id);
    if (i == 0) {
      old_envelope = envelope;
      old_accepted_at = answer->accepted_msg.accepted_at_ms();
    }
  }
  // Forward two hours, past every alert's expiry by the wall clock; then back one hour
  // behind the truth. Each step lasts several expiry sweeps (one a second).
  StepTo("+2h");
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));
  auto replay_ahead = nhs->Submit(old_envelope, 5000);
  StepTo("-1h");
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));
  auto replay_behind = nhs->Submit(old_envelope, 5000);
  StepTo("+0");
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));

  ASSERT_TRUE(replay_ahead.ok()) << replay_ahead.status().ToString();
  ASSERT_TRUE(replay_behind.ok()) << replay_behind.status().ToString();
  for (const auto* replay : {&*replay_ahead, &*replay_behind}) {
    EXPECT_TRUE(replay->accepted) << "replay refused: " << replay->refused_msg.reason();
    EXPECT_EQ(replay->accepted_msg.accepted_at_ms(), old_accepted_at)
        << "a replay was not given the original answer";
  }

  auto council = TryConnect("council-west", 5000);
  ASSERT_NE(council, nullptr);
  DedupReceiver receiver;
  receiver.Drain(*council, 1000, 20000);
  int64_t non_delivery_reports = 0;
  for (auto n = nhs->NextDelivery(500); n.ok(); n = nhs->NextDelivery(300)) {
    sghub::v1::NoticeBody body;
    if (n->is_notice && body.ParseFromString(n->notice.body()) &&
        body.kind() == sghub::v1::NOTICE_KIND_NON_DELIVERY_REPORT) {
      ++non_delivery_reports;
    }
    (void)nhs->Ack(*n);
  }
  ledger.submitted = 100;
  ledger.accepted = static_cast<int64_t>(accepted.size());
  for (const std::string& id : accepted) {
    ledger.lost += receiver.seen.count(id) == 0 ? 1 : 0;
  }
  ledger.delivered_unique = static_cast<int64_t>(receiver.seen.size());
  ledger.raw_duplicates = receiver.raw_duplicates;
  ledger.extra["expired_early_ndrs"] = std::to_string(non_delivery_reports);
  ledger.extra["steps"] = "+2h,-1h,+0";
  ledger.Print();
  EXPECT_EQ(non_delivery_reports, 0) << "an expiry storm: alerts expired before their time";
  EXPECT_EQ(ledger.lost, 0);
  EXPECT_EQ(ledger.delivered_unique, ledger.accepted);
  EXPECT_EQ(receiver.raw_deliveries, ledger.accepted) << "the replays were delivered again";
}

}  // namespace
}  // namespace hub::testutil
