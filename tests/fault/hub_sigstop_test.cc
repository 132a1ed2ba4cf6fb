// SIGSTOP of the hub for longer than every client timeout, then SIGCONT: the hub resumes,
// connections come back (ZMTP heartbeats gave up on it meanwhile), submissions sent during
// the stop are answered or resubmitted with the same bytes, and nothing accepted is lost.
#include <signal.h>

#include <gtest/gtest.h>

#include <thread>

#include "tests/fault/fault_fixture.h"

namespace hub::testutil {
namespace {

class HubSigstopTest : public FaultFixture {
 protected:
  // Heartbeats that give up after 600 ms, so a 3 s stop outlasts them and the 1 s answer
  // timeout of the sender.
  std::string ExtraLimits() const override {
    return "redeliver_after_ms = 1000\n[transport]\nheartbeat_ivl_ms = 200\n"
           "heartbeat_timeout_ms = 600\n";
  }
};

TEST_F(HubSigstopTest, ResumesAfterAStopLongerThanClientTimeoutsLosingNothing) {
  constexpr int kBefore = 100;
  constexpr int kDuring = 100;
  constexpr int kStopMs = 3000;
  ASSERT_GE(StartHubTimed(), 0) << HubLog();
  FaultLedger ledger;
  ledger.name = "sigstop_hub";
  std::map<std::string, std::string> unanswered;  // id -> envelope
  std::set<std::string> accepted;
  auto nhs = TryConnect("nhs-north", 5000);
  auto council = TryConnect("council-west", 5000);
  ASSERT_NE(nhs, nullptr);
  ASSERT_NE(council, nullptr);
  DedupReceiver receiver;
  for (int i = 0; i < kBefore; ++i) {
    std::string id;
    auto answer = nhs->Submit(Alert({"council-west"}, &id), 5000);
    ASSERT_TRUE(answer.ok() && answer->accepted);
    accepted.insert(id);
  }
  receiver.Drain(*council, 200, 5000);

  proc_->Signal(SIGSTOP);
  for (int i = 0; i < kDuring; ++i) {
    std::string id;
    std::string envelope = Alert({"council-west"}, &id);
    unanswered[id] = envelope;
    ASSERT_TRUE(nhs->SendSubmit(envelope).ok());
  }
  auto during = nhs->NextAnswer(1000);
  EXPECT_FALSE(during.ok()) << "a stopped hub answered";
  std::this_thread::sleep_for(std::chrono::milliseconds(kStopMs - 1000));
  const int64_t resumed_at = MonoMs();
  proc_->Signal(SIGCONT);

  // The sender's rule, as the SDK's: resubmit anything unanswered, same bytes, until answered.
  int64_t first_answer_at = -1;
  const int64_t deadline = MonoMs() + 30000;
  while (!unanswered.empty() && MonoMs() < deadline) {
    auto answer = nhs->NextAnswer(1500);
    if (!answer.ok()) {
      for (const auto& [id, envelope] : unanswered) {
        (void)nhs->SendSubmit(envelope);
      }
      continue;
    }
    if (first_answer_at < 0) {
      first_answer_at = MonoMs();
    }
    ASSERT_TRUE(answer->accepted) << answer->refused_msg.reason();
    unanswered.erase(answer->accepted_msg.message_id());
    accepted.insert(answer->accepted_msg.message_id());
  }
  EXPECT_TRUE(unanswered.empty()) << unanswered.size() << " submissions never answered";
  ledger.recovery_ms.push_back(first_answer_at >= 0 ? first_answer_at - resumed_at : -1);

  // The receiver's connection may have been dropped by heartbeats: a fresh one drains.
  council = TryConnect("council-west", 5000);
  ASSERT_NE(council, nullptr);
  receiver.Drain(*council, 1500, 20000);
  ledger.submitted = kBefore + kDuring;
  ledger.accepted = static_cast<int64_t>(accepted.size());
  for (const std::string& id : accepted) {
    ledger.lost += receiver.seen.count(id) == 0 ? 1 : 0;
  }
  ledger.delivered_unique = static_cast<int64_t>(receiver.seen.size());
  ledger.raw_duplicates = receiver.raw_duplicates;
  ledger.extra["stop_ms"] = std::to_string(kStopMs);
  ledger.Print();
  EXPECT_TRUE(proc_->Running());
  EXPECT_EQ(ledger.accepted, kBefore + kDuring);
  EXPECT_EQ(ledger.lost, 0);
  EXPECT_EQ(ledger.delivered_unique, ledger.accepted);
}

}  // namespace
}  // namespace hub::testutil
