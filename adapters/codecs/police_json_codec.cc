#include "adapters/codecs/police_json_codec.h"

#include <utility>

#include "adapters/codecs/alert_checks.h"
#include "adapters/codecs/json_alert_fields.h"
#include "adapters/codecs/json_blocks.h"
#include "adapters/codecs/json_document.h"
#include "adapters/codecs/json_object_reader.h"

namespace hub::codecs {
namespace {

using sghub::v1::AlertBody;

// The hub's Practitioner has no staff-number field, so the collar number travels in the
// role text as "<role> (collar <number>)"; Encode splits it back out.
constexpr std::string_view kCollarOpen = " (collar ";

const AgencyJsonKeys& PoliceKeys() {
  static constexpr AgencyJsonKeys kKeys{
      .category = "category",
      .source_system = "force_system",
      .source_reference = "occurrence_reference",
      .outcome_block = "outcome",
      .outcome_code = "code",
  };
  return kKeys;
}

AlertPaths PolicePaths() {
  AlertPaths paths = AgencyJsonPaths(PoliceKeys());
  paths.summary = "/incident/summary";
  paths.practitioner_name = "/reported_by/name";
  return paths;
}

void ReadIncident(JsonObjectReader r, sghub::v1::Incident* inc) {
  Assign(r.DateOrDateTime("occurred_at"), [inc](const std::string& v) { inc->set_occurred_at(v); });
  Assign(r.String("location"), [inc](const std::string& v) { inc->set_location(v); });
  Assign(r.String("summary"), [inc](const std::string& v) { inc->set_summary(v); });
  Assign(r.String("suspected_offence"),
         [inc](const std::string& v) { inc->set_suspected_offence(v); });
  Assign(r.Bool("hate_incident"), [inc](bool v) { inc->set_hate_incident(v); });
  for (std::string& m : r.StringArray("hostility_markers")) {
    inc->add_hostility_markers(std::move(m));
  }
  if (inc->hostility_markers_size() > 0 && !inc->hate_incident()) {
    r.Error("hostility_markers", "hate-incident markers given but hate_incident is not true");
  }
  Assign(r.String("alleged_perpetrator"),
         [inc](const std::string& v) { inc->set_alleged_perpetrator(v); });
  Assign(r.Bool("perpetrator_in_position_of_trust"),
         [inc](bool v) { inc->set_perpetrator_in_position_of_trust(v); });
  Assign(r.Bool("duress"), [inc](bool v) { inc->set_coercion_or_duress(v); });
  r.RejectUnknownKeys();
}

void ReadAccount(JsonObjectReader r, sghub::v1::PersonVoice* v) {
  Assign(r.String("own_words"), [v](const std::string& s) { v->set_own_words(s); });
  for (std::string& o : r.StringArray("desired_outcomes")) {
    v->add_desired_outcomes(std::move(o));
  }
  Assign(r.Enum<sghub::v1::PersonVoice::PoliceInvolvement>("wants_police_involvement"),
         [v](sghub::v1::PersonVoice::PoliceInvolvement p) { v->set_wants_police(p); });
  Assign(r.Bool("aware_of_notification"), [v](bool b) { v->set_aware_of_referral(b); });
  for (std::string& t : r.StringArray("trusted_people")) {
    v->add_trusted_people(std::move(t));
  }
  Assign(r.String("safe_contact_times"), [v](const std::string& s) { v->set_safe_contact_times(s); });
  r.RejectUnknownKeys();
}

// Returns the collar number, if any.
std::optional<std::string> ReadReportedBy(JsonObjectReader r, sghub::v1::Practitioner* p) {
  Assign(r.String("name"), [p](const std::string& v) { p->set_name(v); });
  std::optional<std::string> role = r.String("role");
  std::optional<std::string> collar = r.String("collar_number");
  std::string role_text = role.value_or("");
  if (collar) {
    role_text += std::string(role_text.empty() ? "(collar " : kCollarOpen) + *collar + ")";
  }
  p->set_role(role_text);
  Assign(r.String("force"), [p](const std::string& v) { p->set_organisation(v); });
  Assign(r.String("telephone"), [p](const std::string& v) { p->set_telephone(v); });
  Assign(r.String("email"), [p](const std::string& v) { p->set_email(v); });
  r.RejectUnknownKeys();
  return collar;
}

void ReadOutcome(JsonObjectReader r, InboundAlert* a) {
  sghub::v1::Outcome* o = ReadOutcomeCodeJson(r, PoliceKeys(), a);
  if (o == nullptr) {
    return;
  }
  Assign(r.String("detail"), [o](const std::string& v) { o->set_detail(v); });
  Assign(r.String("crime_reference"), [o](const std::string& v) { o->set_crime_reference(v); });
  Assign(r.String("case_reference"), [o](const std::string& v) { o->set_case_reference(v); });
  Assign(r.String("recorded_by"), [o](const std::string& v) { o->set_recorded_by(v); });
  r.RejectUnknownKeys();
}

}  // namespace

DecodeResult PoliceJsonCodec::Decode(std::string_view document) const {
  DecodeResult result;
  std::vector<FieldError>& errors = result.errors;
  std::optional<nlohmann::json> doc = ParseJsonObjectDocument(document, "a JSON object", &errors);
  if (!doc) {
    return result;
  }
  JsonObjectReader root(&*doc, "", &errors);
  InboundAlert a;
  AlertBody& body = a.body;

  ReadAlertFieldsJson(root, PoliceKeys(), &a);
  std::optional<std::string> collar =
      ReadReportedBy(root.Object("reported_by"), body.mutable_practitioner());
  ReadPersonJson(root.Object("person"), body.mutable_person());
  ReadAccount(root.Object("account"), body.mutable_voice());
  ReadIncident(root.Object("incident"), body.mutable_incident());
  ReadConsentAndBasisJson(root, &a);
  ReadRisksAndContactsJson(root, &body);
  ReadOutcome(root.Object(PoliceKeys().outcome_block), &a);
  FinishReadingRootJson(root, "notification", &a);

  if (a.kind == sghub::v1::ALERT_KIND_CONCERN) {
    if (!collar) {
      AddErrorOnce(&errors, "/reported_by/collar_number", "required for a notification");
    }
    if (body.voice().wants_police() == sghub::v1::PersonVoice::POLICE_INVOLVEMENT_UNSPECIFIED) {
      AddErrorOnce(&errors, "/account/wants_police_involvement",
                   "required for a notification: wanted, not_wanted or unsure");
    }
  }
  FinishDecode(std::move(a), PolicePaths(), &result);
  return result;
}

Result<std::string> PoliceJsonCodec::Encode(const DeliveredAlert& alert) const {
  const AlertBody& b = alert.body;
  nlohmann::json j = SharedAlertJson(alert, PoliceKeys());

  const sghub::v1::Practitioner& p = b.practitioner();
  nlohmann::json by = nlohmann::json::object();
  PutString(by, "name", p.name());
  std::string role = p.role();
  std::string collar;
  if (role.starts_with("(collar ") && role.ends_with(")")) {
    collar = role.substr(8, role.size() - 9);
    role.clear();
  } else if (size_t at = role.rfind(kCollarOpen);
             at != std::string::npos && role.ends_with(")")) {
    collar = role.substr(at + kCollarOpen.size(), role.size() - at - kCollarOpen.size() - 1);
    role.resize(at);
  }
  PutString(by, "role", role);
  PutString(by, "collar_number", collar);
  PutString(by, "force", p.organisation());
  PutString(by, "telephone", p.telephone());
  PutString(by, "email", p.email());
  j["reported_by"] = std::move(by);

  const sghub::v1::PersonVoice& v = b.voice();
  nlohmann::json account = nlohmann::json::object();
  PutString(account, "own_words", v.own_words());
  PutStrings(account, "desired_outcomes", v.desired_outcomes());
  PutEnum(account, "wants_police_involvement", v.wants_police());
  account["aware_of_notification"] = v.aware_of_referral();
  PutStrings(account, "trusted_people", v.trusted_people());
  PutString(account, "safe_contact_times", v.safe_contact_times());
  j["account"] = std::move(account);

  const sghub::v1::Incident& inc = b.incident();
  nlohmann::json incident = nlohmann::json::object();
  PutString(incident, "occurred_at", inc.occurred_at());
  PutString(incident, "location", inc.location());
  PutString(incident, "summary", inc.summary());
  PutString(incident, "suspected_offence", inc.suspected_offence());
  incident["hate_incident"] = inc.hate_incident();
  PutStrings(incident, "hostility_markers", inc.hostility_markers());
  PutString(incident, "alleged_perpetrator", inc.alleged_perpetrator());
  incident["perpetrator_in_position_of_trust"] = inc.perpetrator_in_position_of_trust();
  incident["duress"] = inc.coercion_or_duress();
  j["incident"] = std::move(incident);
  return DumpJson(j);
}

Result<std::string> PoliceJsonCodec::EncodeNotice(const sghub::v1::NoticeBody& notice) const {
  return DumpJson(NoticeJson(notice));
}

}  // namespace hub::codecs
