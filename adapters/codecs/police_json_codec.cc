#include "adapters/codecs/police_json_codec.h"

#include <utility>

#include "adapters/codecs/alert_checks.h"
#include "adapters/codecs/json_blocks.h"
#include "adapters/codecs/json_document.h"
#include "adapters/codecs/json_object_reader.h"
#include "adapters/codecs/time_format.h"

namespace hub::codecs {
namespace {

using sghub::v1::AlertBody;

// The hub's Practitioner has no staff-number field, so the collar number travels in the
// role text as "<role> (collar <number>)"; Encode splits it back out.
constexpr std::string_view kCollarOpen = " (collar ";

AlertPaths PolicePaths() {
  return AlertPaths{
      .kind = "/kind",
      .category = "/category",
      .urgency = "/urgency",
      .purpose = "/purpose",
      .in_reply_to = "/in_reply_to",
      .outcome_code = "/outcome/code",
      .outcome_detail = "/outcome/detail",
      .crime_reference = "/outcome/crime_reference",
      .summary = "/incident/summary",
      .request = "/request",
      .practitioner_name = "/reported_by/name",
      .nhs_number = "/person/nhs_number",
      .family_name = "/person/family_name",
      .date_of_birth = "/person/date_of_birth",
      .postcode = "/person/postcode",
      .art6 = "/lawful_basis/art6",
      .art9 = "/lawful_basis/art9",
      .consent = ConsentPathsUnder("/consent"),
  };
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
  if (!r.present()) {
    return;
  }
  sghub::v1::Outcome* o = a->body.mutable_outcome();
  Assign(r.Enum<sghub::v1::OutcomeCode>("code"), [a, o](sghub::v1::OutcomeCode c) {
    a->outcome_code = c;
    o->set_code(c);
  });
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
  std::optional<nlohmann::json> doc = ParseJsonDocument(document, &errors);
  if (!doc) {
    return result;
  }
  if (!doc->is_object()) {
    errors.push_back({"/", "must be a JSON object"});
    return result;
  }
  JsonObjectReader root(&*doc, "", &errors);
  InboundAlert a;
  AlertBody& body = a.body;

  Assign(root.Enum<sghub::v1::AlertKind>("kind"), [&a](sghub::v1::AlertKind v) { a.kind = v; });
  Assign(root.Enum<sghub::v1::Category>("category"),
         [&a](sghub::v1::Category v) { a.category = v; });
  Assign(root.Enum<sghub::v1::Urgency>("urgency"), [&a](sghub::v1::Urgency v) { a.urgency = v; });
  Assign(root.Enum<sghub::v1::Purpose>("purpose"), [&a](sghub::v1::Purpose v) { a.purpose = v; });
  a.recipients = root.StringArray("recipients");
  Assign(root.MessageIdHex("in_reply_to"), [&a](const std::string& v) { a.in_reply_to_hex = v; });
  if (std::optional<int64_t> minutes = root.Int("expires_in_minutes")) {
    if (*minutes <= 0 || *minutes > 366LL * 24 * 60) {
      root.Error("expires_in_minutes", "must be between 1 and 527040 (a year)");
    } else {
      a.expires_in_ms = *minutes * 60'000;
    }
  }
  Assign(root.String("force_system"), [&body](const std::string& v) { body.set_source_system(v); });
  Assign(root.String("occurrence_reference"),
         [&body](const std::string& v) { body.set_source_reference(v); });
  std::optional<std::string> collar =
      ReadReportedBy(root.Object("reported_by"), body.mutable_practitioner());
  ReadPersonJson(root.Object("person"), body.mutable_person());
  ReadAccount(root.Object("account"), body.mutable_voice());
  ReadIncident(root.Object("incident"), body.mutable_incident());
  std::string narrative;
  ReadConsentJson(root.Object("consent"), &a.consent, &narrative);
  body.set_consent_narrative(narrative);
  ReadLawfulBasisJson(root.Object("lawful_basis"), &a.lawful_basis);
  for (JsonObjectReader& r : root.ObjectArray("risks")) {
    ReadRiskJson(std::move(r), body.add_risks());
  }
  for (JsonObjectReader& r : root.ObjectArray("contacts")) {
    ReadContactJson(std::move(r), body.add_contacts());
  }
  ReadOutcome(root.Object("outcome"), &a);
  Assign(root.String("request"), [&body](const std::string& v) { body.set_request(v); });
  root.Ignore({HUB_CODECS_DELIVERY_ONLY_KEYS});
  root.RejectUnknownKeys();

  if (!root.Has("person")) {
    AddErrorOnce(&errors, "/person", "required: who the notification is about");
  }
  if (!root.Has("consent")) {
    AddErrorOnce(&errors, "/consent/state", "required: the person's consent position");
  }
  if (a.kind == sghub::v1::ALERT_KIND_CONCERN) {
    if (!collar) {
      AddErrorOnce(&errors, "/reported_by/collar_number", "required for a notification");
    }
    if (body.voice().wants_police() == sghub::v1::PersonVoice::POLICE_INVOLVEMENT_UNSPECIFIED) {
      AddErrorOnce(&errors, "/account/wants_police_involvement",
                   "required for a notification: wanted, not_wanted or unsure");
    }
  }
  CheckAlertComplete(a, PolicePaths(), &errors);
  if (errors.empty()) {
    ClearEmptyParts(&a);
    result.alert = std::move(a);
  }
  return result;
}

Result<std::string> PoliceJsonCodec::Encode(const DeliveredAlert& alert) const {
  const sghub::v1::Header& h = alert.header;
  const AlertBody& b = alert.body;
  nlohmann::json j = nlohmann::json::object();
  PutString(j, "message_id", HexOf(h.message_id()));
  PutString(j, "sender", h.sender());
  if (h.created_at_ms() != 0) {
    j["created_at"] = FormatIsoTimestampMs(h.created_at_ms());
  }
  if (h.expires_at_ms() != 0) {
    j["expires_at"] = FormatIsoTimestampMs(h.expires_at_ms());
  }
  PutEnum(j, "kind", h.kind());
  PutEnum(j, "category", h.category());
  PutEnum(j, "urgency", h.urgency());
  PutEnum(j, "purpose", h.purpose());
  PutStrings(j, "recipients", h.recipients());
  PutString(j, "in_reply_to", HexOf(h.in_reply_to()));
  PutString(j, "force_system", b.source_system());
  PutString(j, "occurrence_reference", b.source_reference());

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

  j["person"] = PersonJson(b.person());

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

  j["consent"] = ConsentJson(h.consent(), b.consent_narrative());
  j["lawful_basis"] = LawfulBasisJson(h.lawful_basis());
  nlohmann::json risks = nlohmann::json::array();
  for (const sghub::v1::Risk& r : b.risks()) {
    risks.push_back(RiskJson(r));
  }
  j["risks"] = std::move(risks);
  nlohmann::json contacts = nlohmann::json::array();
  for (const sghub::v1::Contact& c : b.contacts()) {
    contacts.push_back(ContactJson(c));
  }
  j["contacts"] = std::move(contacts);

  if (h.outcome_code() != sghub::v1::OUTCOME_CODE_UNSPECIFIED || b.has_outcome()) {
    const sghub::v1::Outcome& o = b.outcome();
    nlohmann::json out = nlohmann::json::object();
    PutEnum(out, "code",
            h.outcome_code() != sghub::v1::OUTCOME_CODE_UNSPECIFIED ? h.outcome_code() : o.code());
    PutString(out, "detail", o.detail());
    PutString(out, "crime_reference", o.crime_reference());
    PutString(out, "case_reference", o.case_reference());
    PutString(out, "recorded_by", o.recorded_by());
    j["outcome"] = std::move(out);
  }
  PutString(j, "request", b.request());
  return DumpJson(j);
}

Result<std::string> PoliceJsonCodec::EncodeNotice(const sghub::v1::NoticeBody& notice) const {
  return DumpJson(NoticeJson(notice));
}

}  // namespace hub::codecs
