// The health verdict sghubctl derives from a StatusReport, for its exit code (0 healthy,
// 1 degraded) and the "HEALTH" lines under each view. Pure: time comes from the report's
// now_ms, so the verdict is the same whenever it is computed.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "hub/ctl/status_report.h"

namespace hub::ctl {

struct HealthThresholds {
  // An agency unseen for longer than this is a problem. Since a restarted hub has seen no
  // one yet, "unseen" counts from the hub's start when the agency has not connected since.
  int64_t offline_after_ms = 15 * 60 * 1000;
  // A queue whose oldest item has waited longer than this is a problem.
  int64_t max_queue_age_ms = 15 * 60 * 1000;
};

struct HealthVerdict {
  bool degraded = false;
  std::vector<std::string> problems;  // one sentence each, for operators
};

// Degraded when: any alert is overdue; an agency that is not revoked has been offline
// (disconnected, or silent) for longer than offline_after_ms; a revoked agency is still
// connected; or a queue's oldest item is older than max_queue_age_ms.
HealthVerdict AssessHealth(const StatusReport& report, const HealthThresholds& thresholds);

// "42s", "3m05s", "2h07m", "3d04h": short ages for tables and sentences.
std::string FormatAge(int64_t ms);

}  // namespace hub::ctl
