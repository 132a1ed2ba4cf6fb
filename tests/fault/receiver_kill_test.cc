// SIGKILL of a receiving adapter before its ack: the alerts it held unacknowledged are
// delivered again on its next connection, none is lost, and the receiver's de-duplication
// absorbs the repeats. The adapter is a real process (a forked HubClient) killed with SIGKILL.
#include <signal.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <iostream>

#include "tests/fault/fault_fixture.h"

namespace hub::testutil {
namespace {

class ReceiverKillTest : public FaultFixture {
 protected:
  std::string ExtraLimits() const override { return "redeliver_after_ms = 1000\n"; }
};

// Child: connects as council-west, acks the first `ack_count` deliveries, receives
// `hold_count` more without acking, writes every id it saw (acked ones first, with a marker)
// to `out_fd`, then waits to be killed.
[[noreturn]] void RunDoomedReceiver(const TestWorld& world, int out_fd, int ack_count,
                                    int hold_count) {
  zmq::context_t context(1);  // never the parent's
  auto client = HubClient::Connect(context, world.endpoint(), world.agency("council-west"),
                                   world.hub().card().transport, 5000, 64);
  if (!client.ok()) {
    _exit(3);
  }
  std::string report;
  for (int i = 0; i < ack_count + hold_count; ++i) {
    auto d = (*client)->NextDelivery(5000);
    if (!d.ok()) {
      _exit(4);
    }
    if (i < ack_count) {
      (void)(*client)->Ack(*d);
      report += "A" + HexEncode(AsBytes(d->message_id)) + "\n";
    } else {
      report += "H" + HexEncode(AsBytes(d->message_id)) + "\n";
    }
  }
  // Give the hub time to commit the acks sent, so "acked" means acked.
  (void)(*client)->NextDelivery(300);
  report += "END\n";
  ssize_t unused = write(out_fd, report.data(), report.size());
  (void)unused;
  close(out_fd);
  pause();
  _exit(0);
}

TEST_F(ReceiverKillTest, AlertsHeldUnackedByAKilledAdapterAreRedeliveredNotLost) {
  constexpr int kAlerts = 200;
  constexpr int kAcked = 40;
  constexpr int kHeld = 24;
  ASSERT_GE(StartHubTimed(), 0) << HubLog();
  auto nhs = TryConnect("nhs-north", 5000);
  ASSERT_NE(nhs, nullptr);
  FaultLedger ledger;
  ledger.name = "sigkill_receiving_adapter";
  std::set<std::string> accepted;
  for (int i = 0; i < kAlerts; ++i) {
    std::string id;
    auto answer = nhs->Submit(Alert({"council-west"}, &id), 5000);
    ASSERT_TRUE(answer.ok() && answer->accepted);
    accepted.insert(id);
    ++ledger.submitted;
  }
  ledger.accepted = static_cast<int64_t>(accepted.size());

  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    close(fds[0]);
    RunDoomedReceiver(*world_, fds[1], kAcked, kHeld);
  }
  close(fds[1]);
  std::string report;
  char buf[4096];
  for (ssize_t n; (n = read(fds[0], buf, sizeof(buf))) > 0;) {
    report.append(buf, static_cast<size_t>(n));
  }
  close(fds[0]);
  ASSERT_NE(report.find("END\n"), std::string::npos) << "the receiver child failed";
  const int64_t killed_at = MonoMs();
  kill(child, SIGKILL);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);

  DedupReceiver receiver;
  std::set<std::string> held;
  std::istringstream lines(report);
  for (std::string line; std::getline(lines, line);) {
    if (line.size() == 33 && line[0] == 'A') {
      receiver.seen.insert(line.substr(1));  // handed to the application before the kill
    } else if (line.size() == 33 && line[0] == 'H') {
      held.insert(line.substr(1));
    }
  }
  ASSERT_EQ(receiver.seen.size(), static_cast<size_t>(kAcked));
  ASSERT_EQ(held.size(), static_cast<size_t>(kHeld));

  // The restarted adapter: its first delivery is the recovery point.
  auto council = TryConnect("council-west", 5000);
  ASSERT_NE(council, nullptr);
  std::set<std::string> redelivered_held;
  int64_t first_at = -1;
  const int64_t deadline = MonoMs() + 20000;
  while (MonoMs() < deadline && receiver.seen.size() < accepted.size()) {
    auto d = council->NextDelivery(2000);
    if (!d.ok()) {
      break;
    }
    if (first_at < 0) {
      first_at = MonoMs();
    }
    const std::string hex = HexEncode(AsBytes(d->message_id));
    if (held.count(hex) != 0) {
      redelivered_held.insert(hex);
    }
    (void)council->Ack(*d);
    if (d->is_notice) {
      continue;
    }
    ++receiver.raw_deliveries;
    if (!receiver.seen.insert(hex).second) {
      ++receiver.raw_duplicates;
    }
  }
  ledger.recovery_ms.push_back(first_at >= 0 ? first_at - killed_at : -1);
  for (const std::string& id : accepted) {
    if (receiver.seen.count(HexEncode(AsBytes(id))) == 0) {
      ++ledger.lost;
    }
  }
  ledger.delivered_unique = static_cast<int64_t>(receiver.seen.size());
  ledger.raw_duplicates = receiver.raw_duplicates;
  ledger.extra["held_unacked_at_kill"] = std::to_string(held.size());
  ledger.extra["held_redelivered"] = std::to_string(redelivered_held.size());
  ledger.Print();

  EXPECT_EQ(ledger.lost, 0);
  EXPECT_EQ(redelivered_held.size(), held.size()) << "an alert held unacked was not sent again";
  EXPECT_EQ(ledger.delivered_unique, ledger.accepted);
  EXPECT_GE(first_at, 0);
}

}  // namespace
}  // namespace hub::testutil
