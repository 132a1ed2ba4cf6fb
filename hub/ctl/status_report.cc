#include "hub/ctl/status_report.h"

#include <exception>
#include <nlohmann/json.hpp>

namespace hub::ctl {
namespace {

using nlohmann::json;

// Field access that names the field on failure. The callers catch json exceptions at the
// edge of ParseStatusReport; the path makes the message useful.
const json& Require(const json& object, const char* key, const std::string& path) {
  if (!object.is_object() || !object.contains(key)) {
    throw std::invalid_argument(path + key + " is missing");
  }
  return object.at(key);
}

int64_t Int(const json& object, const char* key, const std::string& path) {
  const json& v = Require(object, key, path);
  if (!v.is_number_integer()) {
    throw std::invalid_argument(path + key + " is not an integer");
  }
  return v.get<int64_t>();
}

std::optional<int64_t> OptionalInt(const json& object, const char* key, const std::string& path) {
  if (!object.contains(key) || object.at(key).is_null()) {
    return std::nullopt;
  }
  return Int(object, key, path);
}

std::string Text(const json& object, const char* key, const std::string& path) {
  const json& v = Require(object, key, path);
  if (!v.is_string()) {
    throw std::invalid_argument(path + key + " is not a string");
  }
  return v.get<std::string>();
}

bool Bool(const json& object, const char* key, const std::string& path) {
  const json& v = Require(object, key, path);
  if (!v.is_boolean()) {
    throw std::invalid_argument(path + key + " is not true or false");
  }
  return v.get<bool>();
}

const json& Array(const json& object, const char* key) {
  const json& v = Require(object, key, "");
  if (!v.is_array()) {
    throw std::invalid_argument(std::string(key) + " is not a list");
  }
  return v;
}

}  // namespace

Result<StatusReport> ParseStatusReport(std::string_view json_text) {
  json doc = json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) {
    return Status::InvalidArgument("the hub's answer is not a JSON object");
  }
  if (doc.contains("error")) {
    const std::string message = doc["error"].is_string() ? doc["error"].get<std::string>() : "";
    const std::string code =
        doc.contains("code") && doc["code"].is_string() ? doc["code"].get<std::string>() : "";
    return Status::Unavailable("the hub refused the request: " + message + " (" + code + ")");
  }
  try {
    StatusReport r;
    if (Int(doc, "status_format", "") < 1) {
      throw std::invalid_argument("status_format is not 1 or later");
    }
    r.version = Text(doc, "version", "");
    r.hub_id = Text(doc, "hub_id", "");
    r.listen = doc.value("listen", std::string());
    r.now_ms = Int(doc, "now_ms", "");
    r.started_ms = doc.contains("started_ms") ? Int(doc, "started_ms", "") : r.now_ms;
    r.uptime_s = Int(doc, "uptime_s", "");
    r.offline_threshold_ms = OptionalInt(doc, "offline_threshold_ms", "").value_or(0);
    const json& store = Require(doc, "store", "");
    r.store_path = Text(store, "path", "store.");
    r.store_size_bytes = Int(store, "size_bytes", "store.");
    r.store_wal_bytes = OptionalInt(store, "wal_bytes", "store.").value_or(0);
    const json& agencies = Array(doc, "agencies");
    for (size_t i = 0; i < agencies.size(); ++i) {
      const json& a = agencies[i];
      const std::string path = "agencies[" + std::to_string(i) + "].";
      AgencyReport out;
      out.id = Text(a, "id", path);
      out.kind = a.value("kind", std::string());
      out.name = a.value("name", out.id);
      out.connected = Bool(a, "connected", path);
      out.last_seen_ms = OptionalInt(a, "last_seen_ms", path);
      out.in_flight = Int(a, "in_flight", path);
      out.queue_depth = Int(a, "queue_depth", path);
      out.oldest_queued_age_ms = OptionalInt(a, "oldest_queued_age_ms", path);
      out.revoked = Bool(a, "revoked", path);
      r.agencies.push_back(std::move(out));
    }
    const json& queues = Array(doc, "queues");
    for (size_t i = 0; i < queues.size(); ++i) {
      const std::string path = "queues[" + std::to_string(i) + "].";
      r.queues.push_back({Text(queues[i], "recipient", path), Int(queues[i], "depth", path),
                          Int(queues[i], "oldest_age_ms", path)});
    }
    r.in_flight = Int(doc, "in_flight", "");
    const json& counters = Require(doc, "counters", "");
    for (auto it = counters.begin(); it != counters.end(); ++it) {
      if (it.value().is_number_integer()) {
        r.counters[it.key()] = it.value().get<int64_t>();
      }
    }
    if (counters.contains("refused_by_reason") && counters["refused_by_reason"].is_object()) {
      for (auto it = counters["refused_by_reason"].begin();
           it != counters["refused_by_reason"].end(); ++it) {
        if (it.value().is_number_integer()) {
          r.refused_by_reason[it.key()] = it.value().get<int64_t>();
        }
      }
    }
    const json& overdue = Array(doc, "overdue");
    for (size_t i = 0; i < overdue.size(); ++i) {
      const json& o = overdue[i];
      const std::string path = "overdue[" + std::to_string(i) + "].";
      OverdueReport out;
      out.message_id = Text(o, "message_id", path);
      out.sender = o.value("sender", std::string());
      out.recipient = Text(o, "recipient", path);
      out.urgency = Text(o, "urgency", path);
      out.stage = Text(o, "stage", path);
      out.deadline_ms = Int(o, "deadline_ms", path);
      out.age_ms = Int(o, "age_ms", path);
      r.overdue.push_back(std::move(out));
    }
    const json& audit = Require(doc, "audit", "");
    r.audit_head_seq = Int(audit, "head_seq", "audit.");
    r.audit_head_hash = Text(audit, "head_hash", "audit.");
    if (audit.contains("last_checkpoint") && audit["last_checkpoint"].is_object()) {
      const json& c = audit["last_checkpoint"];
      r.last_checkpoint_audit_seq = OptionalInt(c, "audit_seq", "audit.last_checkpoint.");
      r.last_checkpoint_ms = OptionalInt(c, "at_ms", "audit.last_checkpoint.");
    }
    return r;
  } catch (const std::exception& e) {
    return Status::InvalidArgument(std::string("the hub's answer is not a status document: ") +
                                   e.what());
  }
}

int64_t CounterOf(const StatusReport& report, const std::string& name) {
  auto it = report.counters.find(name);
  return it == report.counters.end() ? 0 : it->second;
}

}  // namespace hub::ctl
