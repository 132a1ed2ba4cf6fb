#include "hub/core/status_render.h"

#include <array>
#include <cstdio>
#include <exception>
#include <nlohmann/json.hpp>
#include <sstream>

namespace hub::core {
namespace {

using json = nlohmann::ordered_json;

json OptionalInt(const std::optional<int64_t>& value) {
  return value.has_value() ? json(*value) : json(nullptr);
}

// Invalid UTF-8 cannot reach here through the validated config, but dump() would throw on
// it, and nothing may throw out of the status server: replace instead.
std::string Dump(const json& document, int indent) {
  return document.dump(indent, ' ', false, json::error_handler_t::replace);
}

json AgencyJson(const AgencyStatus& a) {
  return json{{"id", a.id},
              {"kind", a.kind},
              {"name", a.name},
              {"connected", a.connected},
              {"last_seen_ms", OptionalInt(a.last_seen_ms)},
              {"in_flight", a.in_flight},
              {"queue_depth", a.queue_depth},
              {"oldest_queued_age_ms", OptionalInt(a.oldest_queued_age_ms)},
              {"revoked", a.revoked}};
}

json QueueJson(const QueueStatus& q) {
  return json{{"recipient", q.recipient},
              {"depth", q.depth},
              {"oldest_queued_ms", q.oldest_queued_ms},
              {"oldest_age_ms", q.oldest_age_ms}};
}

json OverdueJson(const OverdueStatus& o) {
  return json{{"message_id", o.message_id}, {"sender", o.sender}, {"recipient", o.recipient},
              {"urgency", o.urgency},       {"stage", o.stage},   {"deadline_ms", o.deadline_ms},
              {"age_ms", o.age_ms}};
}

// --- Prometheus text ---------------------------------------------------------------------

// Label values escape backslash, double quote and newline (exposition format 0.0.4).
std::string EscapeLabel(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string Seconds(int64_t ms) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", static_cast<double>(ms) / 1000.0);
  return buf;
}

class MetricsWriter {
 public:
  void Family(std::string_view name, std::string_view type, std::string_view help) {
    out_ << "# HELP " << name << ' ' << help << '\n' << "# TYPE " << name << ' ' << type << '\n';
  }
  template <typename V>
  void Sample(std::string_view name, const V& value) {
    out_ << name << ' ' << value << '\n';
  }
  template <typename V>
  void Sample(std::string_view name, std::string_view label, std::string_view label_value,
              const V& value) {
    out_ << name << '{' << label << "=\"" << EscapeLabel(label_value) << "\"} " << value << '\n';
  }
  std::string str() const { return out_.str(); }

 private:
  std::ostringstream out_;
};

// The broker counters by their snapshot name, with their metric name and help text.
struct CounterMetric {
  std::string_view counter;
  std::string_view metric;
  std::string_view help;
};
constexpr std::array<CounterMetric, 13> kCounterMetrics = {{
    {"accepted", "sghub_alerts_accepted_total", "Submissions durably accepted."},
    {"refused", "sghub_alerts_refused_total", "Submissions refused, all reasons."},
    {"delivered", "sghub_alerts_delivered_total", "Alerts acknowledged by a recipient."},
    {"notices_delivered", "sghub_notices_delivered_total",
     "Hub notices acknowledged by an agency."},
    {"expired", "sghub_alerts_expired_total", "Alerts that expired undelivered (NDR sent)."},
    {"escalated", "sghub_alerts_escalated_total", "Closed-loop escalations sent."},
    {"replays", "sghub_replays_total", "Duplicate submissions answered with the first answer."},
    {"redeliveries", "sghub_redeliveries_total", "Deliveries sent after the first attempt."},
    {"rejected_by_recipient", "sghub_rejected_by_recipient_total",
     "Deliveries permanently refused by the recipient."},
    {"policy_refusals", "sghub_policy_refusals_total",
     "Per-recipient refusals by the sharing policy."},
    {"malformed_frames", "sghub_malformed_frames_total", "Frames dropped as malformed."},
    {"frames_in", "sghub_frames_received_total", "Frames received from agencies."},
    {"commits", "sghub_store_commits_total", "Group commits to the store."},
}};

}  // namespace

std::string RenderStatusJson(const StatusSnapshot& s) {
  try {
    json agencies = json::array();
    for (const AgencyStatus& a : s.agencies) {
      agencies.push_back(AgencyJson(a));
    }
    json queues = json::array();
    for (const QueueStatus& q : s.queues) {
      queues.push_back(QueueJson(q));
    }
    json overdue = json::array();
    for (const OverdueStatus& o : s.overdue) {
      overdue.push_back(OverdueJson(o));
    }
    json counters = json::object();
    for (const auto& [name, value] : s.counters) {
      counters[name] = value;
    }
    json by_reason = json::object();
    for (const auto& [reason, value] : s.refused_by_reason) {
      by_reason[reason] = value;
    }
    counters["refused_by_reason"] = std::move(by_reason);

    json document = {
        {"status_format", kStatusFormatVersion},
        {"version", s.version},
        {"hub_id", s.hub_id},
        {"listen", s.listen},
        {"now_ms", s.now_ms},
        {"started_ms", s.started_ms},
        {"uptime_s", s.uptime_ms / 1000},
        {"offline_threshold_ms", s.offline_threshold_ms},
        {"store",
         {{"path", s.store_path},
          {"size_bytes", s.store_size_bytes},
          {"wal_bytes", s.store_wal_bytes}}},
        {"agencies", std::move(agencies)},
        {"queues", std::move(queues)},
        {"in_flight", s.in_flight},
        {"counters", std::move(counters)},
        {"overdue", std::move(overdue)},
        {"audit",
         {{"head_seq", s.audit.head_seq},
          {"head_hash", s.audit.head_hash_hex},
          {"last_checkpoint",
           s.audit.last_checkpoint_seq.has_value()
               ? json{{"seq", *s.audit.last_checkpoint_seq},
                      {"audit_seq", OptionalInt(s.audit.last_checkpoint_audit_seq)},
                      {"at_ms", OptionalInt(s.audit.last_checkpoint_ms)}}
               : json(nullptr)}}},
        {"status_socket",
         {{"requests", s.status_socket.requests},
          {"bad_requests", s.status_socket.bad_requests},
          {"dropped", s.status_socket.dropped}}},
    };
    return Dump(document, 2) + "\n";
  } catch (const std::exception& e) {
    return RenderStatusError("internal", e.what());
  }
}

std::string RenderStatusMetrics(const StatusSnapshot& s) {
  MetricsWriter m;
  m.Family("sghub_info", "gauge", "Constant 1, labelled with the hub's version.");
  m.Sample("sghub_info", "version", s.version, 1);
  m.Family("sghub_uptime_seconds", "gauge", "Seconds since sghubd started.");
  m.Sample("sghub_uptime_seconds", Seconds(s.uptime_ms));

  for (const CounterMetric& c : kCounterMetrics) {
    auto it = s.counters.find(std::string(c.counter));
    m.Family(c.metric, "counter", c.help);
    m.Sample(c.metric, it != s.counters.end() ? it->second : 0);
  }
  m.Family("sghub_alerts_refused_by_reason_total", "counter",
           "Submissions refused, by protocol reason code.");
  for (const auto& [reason, value] : s.refused_by_reason) {
    m.Sample("sghub_alerts_refused_by_reason_total", "reason", reason, value);
  }

  m.Family("sghub_in_flight", "gauge", "Deliveries sent and not yet acknowledged.");
  m.Sample("sghub_in_flight", s.in_flight);
  m.Family("sghub_queue_depth", "gauge", "Items waiting in a recipient's queue.");
  for (const QueueStatus& q : s.queues) {
    m.Sample("sghub_queue_depth", "recipient", q.recipient, q.depth);
  }
  m.Family("sghub_queue_oldest_age_seconds", "gauge",
           "Age of the oldest item in a recipient's queue.");
  for (const QueueStatus& q : s.queues) {
    m.Sample("sghub_queue_oldest_age_seconds", "recipient", q.recipient, Seconds(q.oldest_age_ms));
  }

  m.Family("sghub_agency_connected", "gauge", "1 when the agency has a live connection.");
  for (const AgencyStatus& a : s.agencies) {
    m.Sample("sghub_agency_connected", "agency", a.id, a.connected ? 1 : 0);
  }
  m.Family("sghub_agency_revoked", "gauge", "1 when the agency's keys are revoked.");
  for (const AgencyStatus& a : s.agencies) {
    m.Sample("sghub_agency_revoked", "agency", a.id, a.revoked ? 1 : 0);
  }
  m.Family("sghub_agency_in_flight", "gauge", "Deliveries to the agency not yet acknowledged.");
  for (const AgencyStatus& a : s.agencies) {
    m.Sample("sghub_agency_in_flight", "agency", a.id, a.in_flight);
  }
  m.Family("sghub_agency_last_seen_age_seconds", "gauge",
           "Seconds since the agency's last frame (absent: not seen since start).");
  for (const AgencyStatus& a : s.agencies) {
    if (a.last_seen_ms.has_value()) {
      m.Sample("sghub_agency_last_seen_age_seconds", "agency", a.id,
               Seconds(s.now_ms - *a.last_seen_ms));
    }
  }

  m.Family("sghub_overdue_alerts", "gauge", "Alerts past their closed-loop deadline.");
  for (std::string_view urgency : {"immediate", "urgent", "routine"}) {
    int64_t count = 0;
    for (const OverdueStatus& o : s.overdue) {
      count += o.urgency == urgency ? 1 : 0;
    }
    m.Sample("sghub_overdue_alerts", "urgency", urgency, count);
  }

  m.Family("sghub_store_size_bytes", "gauge", "Bytes of the SQLite store in use.");
  m.Sample("sghub_store_size_bytes", s.store_size_bytes);
  m.Family("sghub_store_wal_bytes", "gauge", "Bytes of the store's write-ahead log.");
  m.Sample("sghub_store_wal_bytes", s.store_wal_bytes);
  m.Family("sghub_audit_head_seq", "gauge", "Sequence number of the last audit entry.");
  m.Sample("sghub_audit_head_seq", s.audit.head_seq);

  m.Family("sghub_status_requests_total", "counter", "Status socket requests answered.");
  m.Sample("sghub_status_requests_total", s.status_socket.requests);
  m.Family("sghub_status_bad_requests_total", "counter",
           "Status socket requests refused as garbage or oversize.");
  m.Sample("sghub_status_bad_requests_total", s.status_socket.bad_requests);
  m.Family("sghub_status_dropped_total", "counter",
           "Status socket connections dropped for idling or over the limit.");
  m.Sample("sghub_status_dropped_total", s.status_socket.dropped);
  return m.str();
}

std::string RenderStatusError(std::string_view code, std::string_view message) {
  json error = {{"error", std::string(message)}, {"code", std::string(code)}};
  return Dump(error, -1) + "\n";
}

}  // namespace hub::core
