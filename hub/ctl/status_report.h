// StatusReport is sghubctl's reading of the hub's status JSON (docs/operations.md, "Status
// fields"): only what the views and the health verdict use. Unknown fields are ignored, so
// an older sghubctl keeps working against a newer hub.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hub/base/result.h"

namespace hub::ctl {

struct AgencyReport {
  std::string id;
  std::string kind;
  std::string name;
  bool connected = false;
  std::optional<int64_t> last_seen_ms;
  int64_t in_flight = 0;
  int64_t queue_depth = 0;
  std::optional<int64_t> oldest_queued_age_ms;
  bool revoked = false;
};

struct QueueReport {
  std::string recipient;
  int64_t depth = 0;
  int64_t oldest_age_ms = 0;
};

struct OverdueReport {
  std::string message_id;
  std::string sender;
  std::string recipient;
  std::string urgency;
  std::string stage;
  int64_t deadline_ms = 0;
  int64_t age_ms = 0;
};

struct StatusReport {
  std::string version;
  std::string hub_id;
  std::string listen;
  int64_t now_ms = 0;
  int64_t started_ms = 0;
  int64_t uptime_s = 0;
  int64_t offline_threshold_ms = 0;  // 0 when the hub did not say
  std::string store_path;
  int64_t store_size_bytes = 0;
  int64_t store_wal_bytes = 0;
  std::vector<AgencyReport> agencies;
  std::vector<QueueReport> queues;
  int64_t in_flight = 0;
  std::map<std::string, int64_t> counters;  // without refused_by_reason
  std::map<std::string, int64_t> refused_by_reason;
  std::vector<OverdueReport> overdue;
  int64_t audit_head_seq = 0;
  std::string audit_head_hash;
  std::optional<int64_t> last_checkpoint_audit_seq;
  std::optional<int64_t> last_checkpoint_ms;
};

// Parses the "status" answer. InvalidArgument naming the field when it is not a status
// document; Unavailable carrying the hub's message when the hub answered with an error
// object ({"error": ..., "code": ...}).
Result<StatusReport> ParseStatusReport(std::string_view json_text);

// The counter `name`, or 0.
int64_t CounterOf(const StatusReport& report, const std::string& name);

}  // namespace hub::ctl
