#include "hub/policy/explain.h"

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

#include <charconv>
#include <cmath>
#include <cstdio>
#include <optional>
#include <set>
#include <string>
#include <utility>

#include "hub/policy/names.h"

namespace hub::policy {
namespace {

using google::protobuf::Struct;
using google::protobuf::Value;

// Turns protobuf's "(consent.state): invalid value ..." or "(consent) stat: Cannot find
// field." into "<prefix>.consent.state: invalid value ..." so errors name the field.
std::string FieldError(std::string_view prefix, std::string_view message) {
  std::string path(prefix);
  std::string_view rest = message;
  if (!rest.empty() && rest.front() == '(') {
    size_t close = rest.find(')');
    if (close != std::string_view::npos) {
      std::string_view inner = rest.substr(1, close - 1);
      if (!inner.empty()) {
        path += "." + std::string(inner);
      }
      rest.remove_prefix(close + 1);
      if (rest.substr(0, 1) == ":") {
        rest.remove_prefix(1);
      }
      while (!rest.empty() && rest.front() == ' ') {
        rest.remove_prefix(1);
      }
      constexpr std::string_view kUnknown = ": Cannot find field.";
      size_t unknown = rest.find(kUnknown);
      if (unknown != std::string_view::npos && unknown + kUnknown.size() == rest.size()) {
        return path + "." + std::string(rest.substr(0, unknown)) + ": unknown field";
      }
    }
  }
  return path + ": " + std::string(rest);
}

// Parses a proto message from a google.protobuf.Value by re-serialising it, so that the
// whole proto3 JSON mapping (names, enums, base64) applies and unknown fields are refused.
template <typename Message>
Status MessageFromValue(const Value& value, std::string_view path, Message* out) {
  if (value.kind_case() != Value::kStructValue) {
    return Status::InvalidArgument(std::string(path) + ": expected an object");
  }
  std::string json;
  auto printed = google::protobuf::util::MessageToJsonString(value, &json);
  if (!printed.ok()) {
    return Status::InvalidArgument(std::string(path) + ": " + std::string(printed.message()));
  }
  auto parsed = google::protobuf::util::JsonStringToMessage(json, out);
  if (!parsed.ok()) {
    return Status::InvalidArgument(FieldError(path, std::string(parsed.message())));
  }
  return Status::Ok();
}

Result<int64_t> IntFromValue(const Value& value, std::string_view path) {
  constexpr double kMaxExact = 9007199254740992.0;  // 2^53: doubles are exact below it
  if (value.kind_case() == Value::kNumberValue) {
    double d = value.number_value();
    if (std::floor(d) != d || std::fabs(d) > kMaxExact) {
      return Status::InvalidArgument(std::string(path) +
                                     ": expected a whole number of milliseconds (write values "
                                     "beyond 2^53 as strings)");
    }
    return static_cast<int64_t>(d);
  }
  if (value.kind_case() == Value::kStringValue) {
    const std::string& s = value.string_value();
    int64_t out = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    if (ec != std::errc() || end != s.data() + s.size() || s.empty()) {
      return Status::InvalidArgument(std::string(path) + ": \"" + s + "\" is not an integer");
    }
    return out;
  }
  return Status::InvalidArgument(std::string(path) + ": expected an integer");
}

Result<std::string> StringFromValue(const Value& value, std::string_view path) {
  if (value.kind_case() != Value::kStringValue) {
    return Status::InvalidArgument(std::string(path) + ": expected a string");
  }
  return value.string_value();
}

// Standard or URL-safe base64, padding optional, as the proto3 JSON mapping accepts.
std::optional<std::string> DecodeBase64(std::string_view in) {
  while (!in.empty() && in.back() == '=') {
    in.remove_suffix(1);
  }
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  for (char c : in) {
    int v;
    if (c >= 'A' && c <= 'Z') {
      v = c - 'A';
    } else if (c >= 'a' && c <= 'z') {
      v = c - 'a' + 26;
    } else if (c >= '0' && c <= '9') {
      v = c - '0' + 52;
    } else if (c == '+' || c == '-') {
      v = 62;
    } else if (c == '/' || c == '_') {
      v = 63;
    } else {
      return std::nullopt;
    }
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xFFu));
    }
  }
  if (bits >= 6) {
    return std::nullopt;  // a single dangling character cannot encode a byte
  }
  return out;
}

Status ReadHistoryEntry(const Value& value, const std::string& path,
                        SubjectConsentHistory& history) {
  if (value.kind_case() != Value::kStructValue) {
    return Status::InvalidArgument(path + ": expected an object");
  }
  std::optional<std::string> ref;
  ConsentRecord record;
  bool has_state = false;
  bool has_time = false;
  for (const auto& [key, field] : value.struct_value().fields()) {
    const std::string field_path = path + "." + key;
    if (key == "subject_ref") {
      HUB_ASSIGN_OR_RETURN(std::string text, StringFromValue(field, field_path));
      ref = DecodeBase64(text);
      if (!ref.has_value() || ref->empty()) {
        return Status::InvalidArgument(field_path + ": expected the subject ref in base64");
      }
    } else if (key == "state") {
      HUB_ASSIGN_OR_RETURN(std::string text, StringFromValue(field, field_path));
      std::optional<sghub::v1::ConsentState> state = ParseConsentState(text);
      if (!state.has_value()) {
        return Status::InvalidArgument(field_path + ": unknown consent state \"" + text + "\"");
      }
      record.state = *state;
      has_state = true;
    } else if (key == "recorded_at_ms") {
      HUB_ASSIGN_OR_RETURN(record.recorded_at_ms, IntFromValue(field, field_path));
      has_time = true;
    } else if (key == "scope") {
      HUB_RETURN_IF_ERROR(MessageFromValue(field, field_path, &record.scope));
    } else {
      return Status::InvalidArgument(
          field_path + ": unknown key; expected subject_ref, state, recorded_at_ms or scope");
    }
  }
  if (!ref.has_value()) {
    return Status::InvalidArgument(path + ".subject_ref: missing");
  }
  if (!has_state) {
    return Status::InvalidArgument(path + ".state: missing");
  }
  if (!has_time) {
    return Status::InvalidArgument(path + ".recorded_at_ms: missing");
  }
  history.Record(std::move(*ref), std::move(record));
  return Status::Ok();
}

void AppendJsonString(std::string& out, std::string_view s) {
  out.push_back('"');
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof(buf), "\\u%04x", static_cast<unsigned>(c));
          out += buf;
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
}

}  // namespace

Result<sghub::v1::Header> HeaderFromJson(std::string_view json) {
  sghub::v1::Header header;
  auto parsed = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(json.data(), json.size()), &header);
  if (!parsed.ok()) {
    return Status::InvalidArgument(FieldError("header", std::string(parsed.message())));
  }
  return header;
}

Result<ExplainInput> ExplainInputFromJson(std::string_view json) {
  Struct doc;
  auto parsed = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(json.data(), json.size()), &doc);
  if (!parsed.ok()) {
    return Status::InvalidArgument("explain input is not a JSON object: " +
                                   std::string(parsed.message()));
  }
  const auto& fields = doc.fields();
  for (const auto& [key, value] : fields) {
    (void)value;
    if (key != "header" && key != "recipient_kinds" && key != "original_sender" &&
        key != "history" && key != "now_ms") {
      return Status::InvalidArgument(key +
                                     ": unknown key; expected header, recipient_kinds, "
                                     "original_sender, history or now_ms");
    }
  }
  ExplainInput input;
  auto header_it = fields.find("header");
  if (header_it == fields.end()) {
    return Status::InvalidArgument(
        "header: missing; the explain input wraps the header as "
        "{\"header\": {...}, \"recipient_kinds\": {...}}");
  }
  HUB_RETURN_IF_ERROR(MessageFromValue(header_it->second, "header", &input.header));

  auto kinds_it = fields.find("recipient_kinds");
  if (kinds_it == fields.end() || kinds_it->second.kind_case() != Value::kStructValue) {
    return Status::InvalidArgument(
        "recipient_kinds: missing; give an object mapping each recipient id to nhs_mh, "
        "council or police");
  }
  const auto& kinds = kinds_it->second.struct_value().fields();
  std::optional<std::string> original_sender;
  if (auto it = fields.find("original_sender"); it != fields.end()) {
    HUB_ASSIGN_OR_RETURN(original_sender, StringFromValue(it->second, "original_sender"));
  }
  std::set<std::string> seen;
  for (const std::string& id : input.header.recipients()) {
    auto kind_it = kinds.find(id);
    if (kind_it == kinds.end()) {
      return Status::InvalidArgument("recipient_kinds: no kind for recipient \"" + id + "\"");
    }
    const std::string path = "recipient_kinds." + id;
    HUB_ASSIGN_OR_RETURN(std::string kind_name, StringFromValue(kind_it->second, path));
    std::optional<sghub::v1::AgencyKind> kind = ParseAgencyKind(kind_name);
    if (!kind.has_value()) {
      return Status::InvalidArgument(path + ": unknown agency kind \"" + kind_name +
                                     "\"; expected nhs_mh, council or police");
    }
    RecipientInfo info;
    info.id = id;
    info.kind = *kind;
    info.originated_in_reply_to = original_sender.has_value() && *original_sender == id;
    input.recipients.push_back(std::move(info));
    seen.insert(id);
  }
  for (const auto& [id, value] : kinds) {
    (void)value;
    if (seen.count(id) == 0) {
      return Status::InvalidArgument("recipient_kinds." + id +
                                     ": not a recipient in the header (a typo?)");
    }
  }

  if (auto it = fields.find("history"); it != fields.end()) {
    if (it->second.kind_case() != Value::kListValue) {
      return Status::InvalidArgument("history: expected an array");
    }
    const auto& entries = it->second.list_value().values();
    for (int i = 0; i < entries.size(); ++i) {
      HUB_RETURN_IF_ERROR(
          ReadHistoryEntry(entries[i], "history[" + std::to_string(i) + "]", input.history));
    }
  }

  if (auto it = fields.find("now_ms"); it != fields.end()) {
    HUB_ASSIGN_OR_RETURN(input.now_ms, IntFromValue(it->second, "now_ms"));
  } else {
    input.now_ms = input.header.created_at_ms();
  }
  if (input.now_ms <= 0) {
    return Status::InvalidArgument(
        "now_ms: give the time to decide at (or set header.created_at_ms)");
  }
  return input;
}

std::string ExplainDecisions(const std::vector<Decision>& decisions) {
  std::string out;
  for (const Decision& d : decisions) {
    out += d.recipient + ": ";
    if (d.allowed()) {
      out += "ALLOW";
      if (d.consent_based) {
        out += " on consent";
      } else if (d.basis_used != sghub::v1::OVERRIDE_BASIS_UNSPECIFIED) {
        out += " on override " + OverrideBasisName(d.basis_used);
      }
      if (d.shown_not_consented) {
        out += " (receiver is shown the person did not consent)";
      }
    } else {
      out += "REFUSE " + std::string(ReasonCodeName(d.reason_code));
    }
    out += " [" + d.rule + "]\n  " + d.explanation + "\n";
  }
  return out;
}

std::string DecisionsToJson(const std::vector<Decision>& decisions) {
  std::string out = "{\"decisions\":[";
  for (size_t i = 0; i < decisions.size(); ++i) {
    const Decision& d = decisions[i];
    if (i > 0) {
      out += ",";
    }
    out += "{\"recipient\":";
    AppendJsonString(out, d.recipient);
    out += ",\"verdict\":";
    AppendJsonString(out, d.allowed() ? "allow" : "refuse");
    out += ",\"reason_code\":";
    if (d.reason_code == sghub::v1::REASON_CODE_UNSPECIFIED) {
      out += "null";
    } else {
      AppendJsonString(out, ReasonCodeName(d.reason_code));
    }
    out += ",\"rule\":";
    AppendJsonString(out, d.rule);
    out += ",\"explanation\":";
    AppendJsonString(out, d.explanation);
    out += std::string(",\"consent_based\":") + (d.consent_based ? "true" : "false");
    out += ",\"basis_used\":";
    if (d.basis_used == sghub::v1::OVERRIDE_BASIS_UNSPECIFIED) {
      out += "null";
    } else {
      AppendJsonString(out, OverrideBasisName(d.basis_used));
    }
    out += std::string(",\"shown_not_consented\":") + (d.shown_not_consented ? "true" : "false");
    out += "}";
  }
  out += "]}\n";
  return out;
}

}  // namespace hub::policy
