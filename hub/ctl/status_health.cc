#include "hub/ctl/status_health.h"

#include <cstdio>

namespace hub::ctl {

std::string FormatAge(int64_t ms) {
  if (ms < 0) {
    ms = 0;
  }
  const int64_t s = ms / 1000;
  char buf[48];
  if (s < 60) {
    std::snprintf(buf, sizeof buf, "%llds", static_cast<long long>(s));
  } else if (s < 3600) {
    std::snprintf(buf, sizeof buf, "%lldm%02llds", static_cast<long long>(s / 60),
                  static_cast<long long>(s % 60));
  } else if (s < 86400) {
    std::snprintf(buf, sizeof buf, "%lldh%02lldm", static_cast<long long>(s / 3600),
                  static_cast<long long>((s % 3600) / 60));
  } else {
    std::snprintf(buf, sizeof buf, "%lldd%02lldh", static_cast<long long>(s / 86400),
                  static_cast<long long>((s % 86400) / 3600));
  }
  return buf;
}

HealthVerdict AssessHealth(const StatusReport& report, const HealthThresholds& thresholds) {
  HealthVerdict v;
  if (!report.overdue.empty()) {
    v.problems.push_back(std::to_string(report.overdue.size()) +
                         " alert(s) overdue: see `sghubctl overdue`");
  }
  for (const AgencyReport& a : report.agencies) {
    if (a.revoked) {
      if (a.connected) {
        v.problems.push_back("agency " + a.id + " is revoked but still connected");
      }
      continue;
    }
    const int64_t since = a.last_seen_ms.value_or(report.started_ms);
    const int64_t silent_ms = report.now_ms - since;
    if (silent_ms <= thresholds.offline_after_ms) {
      continue;
    }
    if (!a.last_seen_ms.has_value()) {
      v.problems.push_back("agency " + a.id + " has not connected since the hub started " +
                           FormatAge(silent_ms) + " ago");
    } else {
      v.problems.push_back("agency " + a.id + (a.connected ? " silent" : " offline") +
                           ", last seen " + FormatAge(silent_ms) + " ago");
    }
  }
  for (const QueueReport& q : report.queues) {
    if (q.depth > 0 && q.oldest_age_ms > thresholds.max_queue_age_ms) {
      v.problems.push_back("queue for " + q.recipient + ": " + std::to_string(q.depth) +
                           " item(s), oldest waiting " + FormatAge(q.oldest_age_ms));
    }
  }
  v.degraded = !v.problems.empty();
  return v;
}

}  // namespace hub::ctl
