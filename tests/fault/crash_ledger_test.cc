// The crash ledger (issue 3): a sender pipelines submissions while sghubd is SIGKILLed at
// random moments and restarted; the sender resubmits every unanswered envelope byte for byte
// after each restart, so the replay cache must give the original answer; a receiver
// de-duplicates by message id. At the end every queue is drained and the ledger must show:
// every ACCEPTED alert delivered, none delivered twice after de-duplication, and nothing
// counted lost that the hub never acknowledged. The seed is printed; SGHUB_FAULT_SEED replays
// it, SGHUB_FAULT_CYCLES or SGHUB_FAULT_LONG=1 (200 cycles) lengthen it.
#include <signal.h>

#include <gtest/gtest.h>

#include <deque>
#include <iostream>
#include <random>

#include "hub/sqlite/sqlite_db.h"
#include "tests/fault/fault_fixture.h"

namespace hub::testutil {
namespace {

constexpr size_t kWindow = 64;  // submissions in flight on the sender's connection

struct Sent {
  std::string envelope;
  bool answered = false;
  bool accepted = false;
  int64_t accepted_at_ms = 0;  // the hub's time in the first ACCEPTED answer
  int submissions = 0;
};

class CrashLedgerTest : public FaultFixture {
 protected:
  std::string ExtraLimits() const override { return "redeliver_after_ms = 2000\n"; }

  // Records one answer; returns false when it contradicts an earlier answer for the same id.
  bool Record(const SubmitAnswer& answer, int64_t restarted_at_wall_ms) {
    const std::string& id =
        answer.accepted ? answer.accepted_msg.message_id() : answer.refused_msg.message_id();
    auto it = sent_.find(id);
    if (it == sent_.end()) {
      ADD_FAILURE() << "an answer for an id never submitted";
      return false;
    }
    Sent& s = it->second;
    if (answer.accepted && answer.accepted_msg.accepted_at_ms() < restarted_at_wall_ms) {
      ++from_replay_cache_;  // accepted before this hub process started: the original answer
    }
    if (s.answered) {
      return s.accepted == answer.accepted &&
             (!s.accepted || s.accepted_at_ms == answer.accepted_msg.accepted_at_ms());
    }
    s.answered = true;
    s.accepted = answer.accepted;
    s.accepted_at_ms = answer.accepted ? answer.accepted_msg.accepted_at_ms() : 0;
    ++(answer.accepted ? ledger_.accepted : ledger_.refused);
    if (!answer.accepted) {
      ADD_FAILURE() << "refused: " << answer.refused_msg.reason();
    }
    return true;
  }

  int64_t WallMs() const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }

  std::map<std::string, Sent> sent_;
  std::deque<std::string> order_;
  FaultLedger ledger_;
  int64_t from_replay_cache_ = 0;
};

TEST_F(CrashLedgerTest, EveryAcceptedAlertIsDeliveredOnceAfterDedupeAcrossSigkills) {
  const uint64_t seed = FaultSeed();
  const int64_t cycles = EnvInt("SGHUB_FAULT_CYCLES", FaultLongRun() ? 200 : 20);
  std::cout << "crash ledger: seed=" << seed << " cycles=" << cycles
            << " (replay with SGHUB_FAULT_SEED=" << seed << ")" << std::endl;
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int> run_ms(80, 600);
  ledger_.name = "sigkill_hub_under_load";
  DedupReceiver receiver;
  int64_t receiver_sessions = 0;

  ASSERT_GE(StartHubTimed(), 0) << HubLog();
  int64_t started_wall = WallMs();
  for (int64_t cycle = 0; cycle < cycles; ++cycle) {
    auto sender = TryConnect("nhs-north", 5000);
    ASSERT_NE(sender, nullptr) << HubLog();
    std::set<std::string> outstanding;
    for (const std::string& id : order_) {
      Sent& s = sent_[id];
      if (!s.answered) {
        ASSERT_TRUE(sender->SendSubmit(s.envelope).ok());
        ++s.submissions;
        outstanding.insert(id);
      }
    }
    std::unique_ptr<HubClient> council;
    if (rng() % 3 == 0) {
      council = TryConnect("council-west", 5000);
      ASSERT_NE(council, nullptr) << HubLog();
      ++receiver_sessions;
    }
    const int64_t kill_at = MonoMs() + run_ms(rng);
    while (MonoMs() < kill_at) {
      while (outstanding.size() < kWindow) {
        std::string id;
        std::string envelope = Alert({"council-west"}, &id);
        ASSERT_FALSE(envelope.empty());
        sent_[id] = Sent{envelope, false, false, 0, 1};
        order_.push_back(id);
        ++ledger_.submitted;
        ASSERT_TRUE(sender->SendSubmit(envelope).ok());
        outstanding.insert(id);
      }
      auto answer = sender->NextAnswer(2);
      if (answer.ok()) {
        const std::string& id = answer->accepted ? answer->accepted_msg.message_id()
                                                 : answer->refused_msg.message_id();
        ASSERT_TRUE(Record(*answer, started_wall)) << "a replay got a different answer";
        outstanding.erase(id);
      }
      for (auto notice = sender->NextDelivery(0); notice.ok(); notice = sender->NextDelivery(0)) {
        (void)sender->Ack(*notice);
      }
      if (council) {
        for (auto d = council->NextDelivery(1); d.ok(); d = council->NextDelivery(1)) {
          receiver.Take(*council, *d);
        }
      }
    }
    proc_->Signal(SIGKILL);
    ASSERT_EQ(proc_->Wait(10000), 128 + SIGKILL);
    sender.reset();
    council.reset();
    const int64_t recovery = StartHubTimed();
    ASSERT_GE(recovery, 0) << "sghubd did not come back after kill " << cycle << ":\n"
                           << HubLog();
    ledger_.recovery_ms.push_back(recovery);
    started_wall = WallMs();
  }

  // Every submission gets its answer: resubmit what is still unanswered until none is.
  auto sender = TryConnect("nhs-north", 5000);
  ASSERT_NE(sender, nullptr);
  for (int round = 0; round < 5; ++round) {
    size_t waiting = 0;
    for (const std::string& id : order_) {
      if (!sent_[id].answered) {
        ASSERT_TRUE(sender->SendSubmit(sent_[id].envelope).ok());
        ++sent_[id].submissions;
        ++waiting;
      }
    }
    for (; waiting > 0; --waiting) {
      auto answer = sender->NextAnswer(10000);
      ASSERT_TRUE(answer.ok()) << answer.status().ToString() << "\n" << HubLog();
      ASSERT_TRUE(Record(*answer, started_wall));
    }
  }
  int64_t unanswered = 0;
  for (const auto& [id, s] : sent_) {
    unanswered += s.answered ? 0 : 1;
  }
  ASSERT_EQ(unanswered, 0);

  // A replayed old envelope gets its original answer, never a second delivery.
  int64_t replays_checked = 0;
  for (const std::string& id : order_) {
    if (replays_checked >= 20) {
      break;
    }
    const Sent& s = sent_[id];
    auto answer = sender->Submit(s.envelope, 10000);
    ASSERT_TRUE(answer.ok()) << answer.status().ToString();
    ASSERT_TRUE(answer->accepted);
    EXPECT_EQ(answer->accepted_msg.accepted_at_ms(), s.accepted_at_ms)
        << "a replay was accepted afresh instead of getting the original answer";
    ++replays_checked;
  }

  // Drain: the receiver takes its whole queue; the sender takes its delivery reports.
  auto council = TryConnect("council-west", 5000);
  ASSERT_NE(council, nullptr);
  ++receiver_sessions;
  const int64_t drain_deadline = MonoMs() + 40000;
  while (MonoMs() < drain_deadline) {
    int64_t fresh = receiver.Drain(*council, 1000, 5000);
    for (auto notice = sender->NextDelivery(50); notice.ok(); notice = sender->NextDelivery(50)) {
      (void)sender->Ack(*notice);
    }
    if (fresh == 0 && static_cast<int64_t>(receiver.seen.size()) >= ledger_.accepted) {
      break;
    }
  }
  for (auto notice = sender->NextDelivery(500); notice.ok(); notice = sender->NextDelivery(500)) {
    (void)sender->Ack(*notice);
  }
  sender.reset();
  council.reset();

  for (const auto& [id, s] : sent_) {
    if (s.accepted && receiver.seen.count(id) == 0) {
      ++ledger_.lost;
    }
  }
  int64_t phantom = 0;  // delivered although never accepted
  for (const std::string& id : receiver.seen) {
    auto it = sent_.find(id);
    if (it == sent_.end() || !it->second.accepted) {
      ++phantom;
    }
  }
  ledger_.delivered_unique = static_cast<int64_t>(receiver.seen.size());
  ledger_.raw_duplicates = receiver.raw_duplicates;
  // The receiver hands each id to its application at most once by construction (the set);
  // what is measured is whether the hub ever needed that: raw duplicates, printed above.
  ledger_.duplicated_after_dedupe = 0;
  int64_t resubmissions = 0;
  for (const auto& [id, s] : sent_) {
    resubmissions += s.submissions - 1;
  }
  ASSERT_EQ(StopFaultHub(), 0) << HubLog();
  int64_t queue_left = -1;
  {
    auto db = sqlite::SqliteDb::Open(world_->store_path());
    ASSERT_TRUE(db.ok());
    auto left = db->QueryInt("SELECT count(*) FROM queue");
    ASSERT_TRUE(left.ok());
    queue_left = *left;
  }
  ledger_.extra["cycles"] = std::to_string(cycles);
  ledger_.extra["seed"] = std::to_string(seed);
  ledger_.extra["resubmissions"] = std::to_string(resubmissions);
  ledger_.extra["answered_from_replay_cache"] = std::to_string(from_replay_cache_);
  ledger_.extra["replays_checked"] = std::to_string(replays_checked);
  ledger_.extra["receiver_sessions"] = std::to_string(receiver_sessions);
  ledger_.extra["raw_deliveries"] = std::to_string(receiver.raw_deliveries);
  ledger_.extra["phantom_deliveries"] = std::to_string(phantom);
  ledger_.extra["queue_left_after_drain"] = std::to_string(queue_left);
  ledger_.Print();

  EXPECT_GE(ledger_.accepted, cycles) << "too little traffic to mean anything";
  EXPECT_EQ(ledger_.lost, 0);
  EXPECT_EQ(phantom, 0);
  EXPECT_EQ(ledger_.refused, 0);
  EXPECT_EQ(ledger_.delivered_unique, ledger_.accepted);
  EXPECT_EQ(queue_left, 0) << "a queue was not drained";
}

}  // namespace
}  // namespace hub::testutil
