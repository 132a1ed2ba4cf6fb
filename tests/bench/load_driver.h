// LoadDriver plays the agencies around a running hub for sghub-bench: several sender
// connections that pipeline SUBMITs (or pace them, one in flight, for latency), and
// recipient connections that ack every DELIVER at once. Senders ack the hub's notices
// (delivery reports), so nothing piles up behind them. One thread polls every connection;
// all timestamps come from the steady clock when the frame is read.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <zmq.hpp>

#include "hub/base/result.h"
#include "tests/bench/alert_source.h"
#include "tests/testutil/hub_client.h"
#include "tests/testutil/test_world.h"

namespace hub::bench {

// When each alert was submitted, accepted, and delivered to every awaited recipient;
// nanoseconds on the steady clock, 0 when it has not happened.
struct AlertTimes {
  int64_t submit_ns = 0;
  int64_t accept_ns = 0;
  int64_t deliver_ns = 0;
  uint8_t delivered_mask = 0;  // bit r: recipient r has it
};

struct RunSpec {
  uint64_t first = 0;  // alerts [first, first + count)
  uint64_t count = 0;
  bool submit = true;           // false: only receive (e.g. drain a backlog)
  int window_per_sender = 128;  // outstanding submissions per sender connection
  double rate_per_s = 0;        // > 0: one sender, one in flight, paced at this rate
  uint8_t wait_mask = 0;        // finish when these recipients have every alert (0: answers)
  int stall_timeout_ms = 60000;  // fail when nothing happens for this long
};

struct RunOutcome {
  double seconds = 0;  // first submit (or start) to the last awaited event
  uint64_t accepted = 0;
  uint64_t refused = 0;
  uint64_t deliveries = 0;  // DELIVER frames, repeats included
  uint64_t notices = 0;
};

class LoadDriver {
 public:
  using EnvelopeFor = std::function<Result<std::string>(uint64_t index)>;

  // `recipients` are agency ids; recipient r is bit r of the masks.
  LoadDriver(const testutil::TestWorld& world, const AlertSource& source,
             std::vector<std::string> recipients, size_t total_alerts);

  Status ConnectSenders();
  Status ConnectRecipient(size_t r);
  void DisconnectAll();

  Result<RunOutcome> Run(const RunSpec& spec, const EnvelopeFor& envelope_for);
  const std::vector<AlertTimes>& times() const { return times_; }

 private:
  struct Conn {
    std::unique_ptr<testutil::HubClient> client;
    int recipient = -1;        // >= 0: a recipient connection
    uint64_t next_index = 0;   // senders: next alert of theirs to submit
    uint64_t outstanding = 0;  // senders: submitted, not yet answered
  };
  Status Connect(const std::string& agency, int recipient);
  Status Drain(Conn& conn, const RunSpec& spec, RunOutcome& outcome, int64_t now_ns,
               uint64_t& complete, int64_t& last_event_ns);

  const testutil::TestWorld& world_;
  const AlertSource& source_;
  std::vector<std::string> recipients_;
  zmq::context_t context_{1};
  std::vector<Conn> conns_;
  std::vector<AlertTimes> times_;
};

}  // namespace hub::bench
