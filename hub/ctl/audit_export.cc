#include "hub/ctl/audit_export.h"

#include <google/protobuf/descriptor.h>

#include <cctype>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <utility>

#include "hub/base/bytes.h"
#include "hub/policy/names.h"
#include "hub/store/audit_chain.h"
#include "sghub/v1/common.pb.h"
#include "sghub/v1/frames.pb.h"

namespace hub::ctl {
namespace {

constexpr size_t kSubjectRefBytes = 32;

// "PERSON_TOLD_AFTER" -> "after" for prefix "PERSON_TOLD_"; "unknown(<n>)" when undefined.
std::string ShortName(const google::protobuf::EnumDescriptor* descriptor, int64_t value,
                      std::string_view prefix) {
  const google::protobuf::EnumValueDescriptor* v =
      value >= INT32_MIN && value <= INT32_MAX
          ? descriptor->FindValueByNumber(static_cast<int>(value))
          : nullptr;
  if (v == nullptr) {
    return "unknown(" + std::to_string(value) + ")";
  }
  std::string name = v->name();
  if (name.rfind(prefix, 0) == 0) {
    name.erase(0, prefix.size());
  }
  for (char& c : name) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return name;
}

// True when `refs` (concatenated 32-byte references) holds `ref` at a reference boundary.
bool HasRef(std::string_view refs, std::string_view ref) {
  for (size_t at = 0; at + kSubjectRefBytes <= refs.size(); at += kSubjectRefBytes) {
    if (refs.substr(at, kSubjectRefBytes) == ref) {
      return true;
    }
  }
  return false;
}

int64_t IntField(const nlohmann::json& detail, const char* key) {
  auto it = detail.find(key);
  return it != detail.end() && it->is_number_integer() ? it->get<int64_t>() : 0;
}

std::string StringField(const nlohmann::json& detail, const char* key) {
  auto it = detail.find(key);
  return it != detail.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// The event-specific words for the note column.
std::string NoteFor(const std::string& event, const nlohmann::json& detail) {
  if (event == "consent_change") {
    return "consent " + ShortName(sghub::v1::ConsentState_descriptor(), IntField(detail, "state"),
                                  "CONSENT_STATE_");
  }
  if (event == "acknowledged" || event == "outcome_recorded") {
    return "outcome " + ShortName(sghub::v1::OutcomeCode_descriptor(),
                                  IntField(detail, "outcome_code"), "OUTCOME_CODE_");
  }
  if (event == "escalated") {
    std::string note = "stage " + ShortName(sghub::v1::EscalationStage_descriptor(),
                                            IntField(detail, "stage"), "ESCALATION_STAGE_");
    if (auto it = detail.find("notified"); it != detail.end() && it->is_array()) {
      std::string who;
      for (const auto& agency : *it) {
        if (agency.is_string()) {
          who += (who.empty() ? "" : " ") + agency.get<std::string>();
        }
      }
      note += "; notified " + who;
    }
    return note;
  }
  if (event == "refused") {
    const std::string field = StringField(detail, "field");
    return field.empty() ? std::string() : "field " + field;
  }
  const std::string rule = StringField(detail, "rule");
  return rule.empty() ? std::string() : "rule " + rule;
}

std::string CsvField(const std::string& field) {
  if (field.find_first_of(",\"\r\n") == std::string::npos) {
    return field;
  }
  std::string quoted = "\"";
  for (char c : field) {
    quoted += c;
    if (c == '"') {
      quoted += '"';
    }
  }
  return quoted + "\"";
}

}  // namespace

Result<std::string> ParseSubjectRefHex(std::string_view hex) {
  if (hex.size() != 2 * kSubjectRefBytes) {
    return Status::InvalidArgument("--subject: a subject reference is 64 hex characters, got " +
                                   std::to_string(hex.size()));
  }
  std::string out;
  for (size_t i = 0; i < hex.size(); i += 2) {
    int byte = 0;
    for (char c : hex.substr(i, 2)) {
      const int digit = std::isdigit(static_cast<unsigned char>(c)) ? c - '0'
                        : (c >= 'a' && c <= 'f')                    ? c - 'a' + 10
                        : (c >= 'A' && c <= 'F')                    ? c - 'A' + 10
                                                                    : -1;
      if (digit < 0) {
        return Status::InvalidArgument("--subject: not a hex digit at position " +
                                       std::to_string(i));
      }
      byte = byte * 16 + digit;
    }
    out.push_back(static_cast<char>(byte));
  }
  return out;
}

Result<std::vector<SharedEvent>> ExportSubject(sqlite::SqliteDb& db, std::string_view subject_ref) {
  HUB_ASSIGN_OR_RETURN(sqlite::SqliteStatement st,
                       db.Prepare("SELECT seq, at_ms, event, actor, message_id, recipient, "
                                  "reason_code, basis, subject_refs, detail FROM audit "
                                  "ORDER BY seq"));
  std::set<std::string> about;  // ids of alerts that carry the subject reference
  std::map<std::string, std::pair<int64_t, int64_t>> kind_of;  // id -> (kind, category)
  std::vector<SharedEvent> events;
  while (true) {
    HUB_ASSIGN_OR_RETURN(bool more, st.Step());
    if (!more) {
      break;
    }
    const std::string message_id = st.ColumnBlob(4);
    // Every event about an alert follows the entry that carries its subject references
    // (accepted or refused_policy), so one pass in seq order finds them all.
    const bool carries_ref = HasRef(st.ColumnBlob(8), subject_ref);
    if (carries_ref && !message_id.empty()) {
      about.insert(message_id);
    }
    if (!carries_ref && (message_id.empty() || about.count(message_id) == 0)) {
      continue;
    }
    SharedEvent e;
    e.seq = st.ColumnInt(0);
    e.at_ms = st.ColumnInt(1);
    e.event = st.ColumnText(2);
    e.message_id = HexEncode(AsBytes(message_id));
    e.from = st.ColumnText(3);
    e.to = st.ColumnText(5);
    const int64_t reason_code = st.ColumnInt(6);
    const int64_t basis = st.ColumnInt(7);
    // Details are the hub's own compact JSON; a damaged one just leaves the columns empty.
    nlohmann::json detail = nlohmann::json::parse(st.ColumnText(9), nullptr, false);
    if (!detail.is_object()) {
      detail = nlohmann::json::object();
    }
    if (detail.contains("kind")) {
      kind_of[message_id] = {IntField(detail, "kind"), IntField(detail, "category")};
    }
    if (auto it = kind_of.find(message_id); it != kind_of.end()) {
      e.kind = ShortName(sghub::v1::AlertKind_descriptor(), it->second.first, "ALERT_KIND_");
      e.category = ShortName(sghub::v1::Category_descriptor(), it->second.second, "CATEGORY_");
    }
    if (e.event == "queued") {
      e.basis = "consent";
    } else if (basis != 0) {
      e.basis = ShortName(sghub::v1::OverrideBasis_descriptor(), basis, "OVERRIDE_BASIS_");
    }
    if (detail.contains("person_told")) {
      e.person_told = ShortName(sghub::v1::PersonTold_descriptor(), IntField(detail, "person_told"),
                                "PERSON_TOLD_");
      if (e.person_told == "before" || e.person_told == "after" || e.person_told == "not_told") {
        e.person_told = e.person_told == "not_told" ? "not_told" : "told_" + e.person_told;
      }
    }
    if (reason_code != 0) {
      e.reason = std::string(policy::ReasonCodeName(
          static_cast<sghub::v1::ReasonCode>(static_cast<int32_t>(reason_code))));
    }
    e.note = NoteFor(e.event, detail);
    events.push_back(std::move(e));
  }
  return events;
}

std::string SharedEventsToJson(std::string_view subject_ref,
                               const std::vector<SharedEvent>& events) {
  // ordered_json keeps the keys in the documented order.
  using Json = nlohmann::ordered_json;
  auto or_null = [](const std::string& s) { return s.empty() ? Json() : Json(s); };
  Json list = Json::array();
  for (const SharedEvent& e : events) {
    Json j = Json::object();
    j["seq"] = e.seq;
    j["when"] = policy::FormatUtcMs(e.at_ms);
    j["at_ms"] = e.at_ms;
    j["event"] = e.event;
    j["message_id"] = or_null(e.message_id);
    j["from"] = or_null(e.from);
    j["to"] = or_null(e.to);
    j["kind"] = or_null(e.kind);
    j["category"] = or_null(e.category);
    j["basis"] = or_null(e.basis);
    j["person_told"] = or_null(e.person_told);
    j["reason"] = or_null(e.reason);
    j["note"] = or_null(e.note);
    list.push_back(std::move(j));
  }
  Json out = Json::object();
  out["subject_ref"] = HexEncode(AsBytes(subject_ref));
  out["events"] = std::move(list);
  return out.dump() + "\n";
}

std::string SharedEventsToCsv(const std::vector<SharedEvent>& events) {
  std::string out =
      "seq,when,event,message_id,from,to,kind,category,basis,person_told,reason,note\r\n";
  for (const SharedEvent& e : events) {
    const std::string fields[] = {std::to_string(e.seq),
                                  policy::FormatUtcMs(e.at_ms),
                                  e.event,
                                  e.message_id,
                                  e.from,
                                  e.to,
                                  e.kind,
                                  e.category,
                                  e.basis,
                                  e.person_told,
                                  e.reason,
                                  e.note};
    bool first = true;
    for (const std::string& f : fields) {
      out += (first ? "" : ",") + CsvField(f);
      first = false;
    }
    out += "\r\n";
  }
  return out;
}

}  // namespace hub::ctl
