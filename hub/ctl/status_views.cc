#include "hub/ctl/status_views.h"

#include <cstdio>

#include "hub/ctl/text_table.h"

namespace hub::ctl {
namespace {

std::string Bytes(int64_t n) {
  char buf[32];
  if (n < 1024) {
    std::snprintf(buf, sizeof buf, "%lld B", static_cast<long long>(n));
  } else if (n < 1024 * 1024) {
    std::snprintf(buf, sizeof buf, "%.1f KiB", static_cast<double>(n) / 1024.0);
  } else if (n < 1024LL * 1024 * 1024) {
    std::snprintf(buf, sizeof buf, "%.1f MiB", static_cast<double>(n) / (1024.0 * 1024.0));
  } else {
    std::snprintf(buf, sizeof buf, "%.2f GiB", static_cast<double>(n) / (1024.0 * 1024.0 * 1024.0));
  }
  return buf;
}

std::string Ago(const StatusReport& r, const std::optional<int64_t>& at_ms) {
  return at_ms.has_value() ? FormatAge(r.now_ms - *at_ms) + " ago" : "never";
}

}  // namespace

void PrintSummary(const StatusReport& r, std::ostream& out) {
  out << "sghubd " << r.version << "  hub " << r.hub_id << "  up " << FormatAge(r.uptime_s * 1000)
      << "  listening " << r.listen << "\n";
  out << "store   " << r.store_path << "  " << Bytes(r.store_size_bytes) << " (WAL "
      << Bytes(r.store_wal_bytes) << ")\n";
  out << "alerts  accepted " << CounterOf(r, "accepted") << "  refused " << CounterOf(r, "refused")
      << "  delivered " << CounterOf(r, "delivered") << "  expired " << CounterOf(r, "expired")
      << "  escalated " << CounterOf(r, "escalated") << "  in flight " << r.in_flight << "\n";
  if (!r.refused_by_reason.empty()) {
    out << "refused";
    for (const auto& [reason, count] : r.refused_by_reason) {
      out << "  " << reason << " " << count;
    }
    out << "\n";
  }
  out << "audit   head #" << r.audit_head_seq << " " << r.audit_head_hash.substr(0, 16);
  if (r.last_checkpoint_audit_seq.has_value()) {
    out << "  last checkpoint at #" << *r.last_checkpoint_audit_seq << ", "
        << Ago(r, r.last_checkpoint_ms);
  } else {
    out << "  no checkpoint yet";
  }
  out << "\n";
}

void PrintAgencies(const StatusReport& r, std::ostream& out) {
  TextTable table(
      {"AGENCY", "KIND", "STATE", "LAST SEEN", "IN FLIGHT", "QUEUED", "OLDEST", "NAME"});
  for (const AgencyReport& a : r.agencies) {
    const std::string state = a.revoked ? (a.connected ? "REVOKED+CONNECTED" : "revoked")
                                        : (a.connected ? "connected" : "offline");
    table.AddRow({a.id, a.kind, state, Ago(r, a.last_seen_ms), std::to_string(a.in_flight),
                  std::to_string(a.queue_depth),
                  a.oldest_queued_age_ms.has_value() ? FormatAge(*a.oldest_queued_age_ms) : "-",
                  a.name});
  }
  table.Print(out);
}

void PrintQueues(const StatusReport& r, std::ostream& out) {
  TextTable table({"RECIPIENT", "DEPTH", "OLDEST"});
  for (const QueueReport& q : r.queues) {
    if (q.depth > 0) {
      table.AddRow({q.recipient, std::to_string(q.depth), FormatAge(q.oldest_age_ms)});
    }
  }
  if (table.rows() == 0) {
    out << "no queued items\n";
    return;
  }
  table.Print(out);
}

void PrintOverdue(const StatusReport& r, std::ostream& out) {
  if (r.overdue.empty()) {
    out << "no overdue alerts\n";
    return;
  }
  TextTable table({"MESSAGE ID", "FROM", "TO", "URGENCY", "MISSING", "DUE", "AGE"});
  for (const OverdueReport& o : r.overdue) {
    table.AddRow({o.message_id, o.sender, o.recipient, o.urgency, o.stage,
                  FormatAge(r.now_ms - o.deadline_ms) + " ago", FormatAge(o.age_ms)});
  }
  table.Print(out);
}

void PrintHealth(const HealthVerdict& verdict, std::ostream& out) {
  if (!verdict.degraded) {
    out << "health: ok\n";
    return;
  }
  out << "health: DEGRADED\n";
  for (const std::string& problem : verdict.problems) {
    out << "  - " << problem << "\n";
  }
}

void PrintFullStatus(const StatusReport& report, const HealthVerdict& verdict, std::ostream& out) {
  PrintSummary(report, out);
  out << "\n";
  PrintAgencies(report, out);
  out << "\n";
  PrintQueues(report, out);
  out << "\n";
  PrintOverdue(report, out);
  out << "\n";
  PrintHealth(verdict, out);
}

}  // namespace hub::ctl
