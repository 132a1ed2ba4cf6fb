#include "adapters/codecs/council_csv.h"

#include <functional>
#include <vector>

#include "adapters/codecs/enum_names.h"
#include "adapters/codecs/json_blocks.h"
#include "adapters/codecs/time_format.h"

namespace hub::codecs {
namespace {

using Getter = std::function<std::string(const DeliveredAlert&)>;

struct Column {
  const char* name;
  Getter get;
};

std::string Join(const google::protobuf::RepeatedPtrField<std::string>& values) {
  std::string out;
  for (const std::string& v : values) {
    if (!out.empty()) {
      out += "; ";
    }
    out += v;
  }
  return out;
}

std::string Bool(bool b) { return b ? "yes" : "no"; }

std::string Ts(int64_t ms) { return ms == 0 ? "" : FormatIsoTimestampMs(ms); }

const std::vector<Column>& Columns() {
  static const std::vector<Column> kColumns = {
      {"message_id", [](const DeliveredAlert& a) { return HexOf(a.header.message_id()); }},
      {"sender", [](const DeliveredAlert& a) { return a.header.sender(); }},
      {"created_at", [](const DeliveredAlert& a) { return Ts(a.header.created_at_ms()); }},
      {"kind", [](const DeliveredAlert& a) { return EnumName(a.header.kind()); }},
      {"abuse_category", [](const DeliveredAlert& a) { return EnumName(a.header.category()); }},
      {"urgency", [](const DeliveredAlert& a) { return EnumName(a.header.urgency()); }},
      {"purpose", [](const DeliveredAlert& a) { return EnumName(a.header.purpose()); }},
      {"in_reply_to", [](const DeliveredAlert& a) { return HexOf(a.header.in_reply_to()); }},
      {"consent_state", [](const DeliveredAlert& a) { return EnumName(a.header.consent().state()); }},
      {"override_basis",
       [](const DeliveredAlert& a) { return EnumName(a.header.consent().override_basis()); }},
      {"override_decided_by",
       [](const DeliveredAlert& a) { return a.header.consent().decision().decided_by_name(); }},
      {"override_reason",
       [](const DeliveredAlert& a) { return a.header.consent().decision().reason(); }},
      {"art6", [](const DeliveredAlert& a) { return EnumName(a.header.lawful_basis().art6()); }},
      {"art9", [](const DeliveredAlert& a) { return EnumName(a.header.lawful_basis().art9()); }},
      {"nhs_number", [](const DeliveredAlert& a) { return a.body.person().nhs_number(); }},
      {"local_id", [](const DeliveredAlert& a) { return a.body.person().local_id(); }},
      {"family_name", [](const DeliveredAlert& a) { return a.body.person().family_name(); }},
      {"given_names", [](const DeliveredAlert& a) { return a.body.person().given_names(); }},
      {"date_of_birth", [](const DeliveredAlert& a) { return a.body.person().date_of_birth(); }},
      {"gender", [](const DeliveredAlert& a) { return a.body.person().gender(); }},
      {"address", [](const DeliveredAlert& a) { return a.body.person().address(); }},
      {"postcode", [](const DeliveredAlert& a) { return a.body.person().postcode(); }},
      {"communication_needs",
       [](const DeliveredAlert& a) { return Join(a.body.person().communication_needs()); }},
      {"occurred_at", [](const DeliveredAlert& a) { return a.body.incident().occurred_at(); }},
      {"location", [](const DeliveredAlert& a) { return a.body.incident().location(); }},
      {"what_happened", [](const DeliveredAlert& a) { return a.body.incident().summary(); }},
      {"hate_incident", [](const DeliveredAlert& a) { return Bool(a.body.incident().hate_incident()); }},
      {"hostility_markers",
       [](const DeliveredAlert& a) { return Join(a.body.incident().hostility_markers()); }},
      {"alleged_perpetrator",
       [](const DeliveredAlert& a) { return a.body.incident().alleged_perpetrator(); }},
      {"aware_of_concern",
       [](const DeliveredAlert& a) { return Bool(a.body.voice().aware_of_referral()); }},
      {"own_words", [](const DeliveredAlert& a) { return a.body.voice().own_words(); }},
      {"desired_outcomes",
       [](const DeliveredAlert& a) { return Join(a.body.voice().desired_outcomes()); }},
      {"wants_police", [](const DeliveredAlert& a) { return EnumName(a.body.voice().wants_police()); }},
      {"others_at_risk",
       [](const DeliveredAlert& a) {
         bool any = false;
         for (const sghub::v1::Risk& r : a.body.risks()) {
           any = any || r.others_at_risk();
         }
         return Bool(any);
       }},
      {"risks",
       [](const DeliveredAlert& a) {
         std::string out;
         for (const sghub::v1::Risk& r : a.body.risks()) {
           if (!out.empty()) {
             out += "; ";
           }
           out += r.level().empty() ? r.description() : r.level() + ": " + r.description();
         }
         return out;
       }},
      {"referrer_name", [](const DeliveredAlert& a) { return a.body.practitioner().name(); }},
      {"referrer_role", [](const DeliveredAlert& a) { return a.body.practitioner().role(); }},
      {"referrer_organisation",
       [](const DeliveredAlert& a) { return a.body.practitioner().organisation(); }},
      {"referrer_telephone",
       [](const DeliveredAlert& a) { return a.body.practitioner().telephone(); }},
      {"outcome", [](const DeliveredAlert& a) { return EnumName(a.header.outcome_code()); }},
      {"outcome_detail", [](const DeliveredAlert& a) { return a.body.outcome().detail(); }},
      {"case_reference", [](const DeliveredAlert& a) { return a.body.outcome().case_reference(); }},
      {"crime_reference", [](const DeliveredAlert& a) { return a.body.outcome().crime_reference(); }},
      {"source_system", [](const DeliveredAlert& a) { return a.body.source_system(); }},
      {"source_reference", [](const DeliveredAlert& a) { return a.body.source_reference(); }},
  };
  return kColumns;
}

}  // namespace

std::string CsvField(std::string_view value) {
  std::string v;
  if (!value.empty() && (value[0] == '=' || value[0] == '+' || value[0] == '-' ||
                         value[0] == '@' || value[0] == '\t' || value[0] == '\r')) {
    v += '\'';
  }
  v += value;
  if (v.find_first_of(",\"\r\n") == std::string::npos) {
    return v;
  }
  std::string out = "\"";
  for (char c : v) {
    if (c == '"') {
      out += '"';
    }
    out += c;
  }
  out += '"';
  return out;
}

Result<std::string> CouncilCsvExport(std::span<const DeliveredAlert> alerts) {
  const std::vector<Column>& columns = Columns();
  std::string out;
  for (size_t i = 0; i < columns.size(); ++i) {
    out += i == 0 ? "" : ",";
    out += columns[i].name;
  }
  out += "\r\n";
  for (const DeliveredAlert& a : alerts) {
    for (size_t i = 0; i < columns.size(); ++i) {
      out += i == 0 ? "" : ",";
      out += CsvField(columns[i].get(a));
    }
    out += "\r\n";
  }
  return out;
}

}  // namespace hub::codecs
