// Counters the broker keeps for the status socket and metrics. Written by the broker thread
// only; read by the status server on the same thread, so plain integers suffice.
#pragma once

#include <cstdint>
#include <map>
#include <string>

namespace hub::core {

struct BrokerCounters {
  uint64_t frames_in = 0;
  uint64_t accepted = 0;             // submissions durably accepted
  uint64_t refused = 0;              // submissions refused (all reasons)
  uint64_t replays = 0;              // duplicates answered with the original answer
  uint64_t delivered = 0;            // recipient acks of alerts
  uint64_t notices_delivered = 0;    // agency acks of hub notices
  uint64_t redeliveries = 0;         // sends after the first attempt
  uint64_t expired = 0;              // non-delivery reports for expiry
  uint64_t rejected_by_recipient = 0;  // permanent nacks
  uint64_t policy_refusals = 0;      // per-recipient policy refusals
  uint64_t escalations = 0;
  uint64_t malformed_frames = 0;
  uint64_t commits = 0;              // group commits
  std::map<std::string, uint64_t> refused_by_reason;  // reason code name -> count
};

}  // namespace hub::core
