#include "adapters/codecs/council_json_codec.h"

#include <utility>

#include "adapters/codecs/alert_checks.h"
#include "adapters/codecs/json_blocks.h"
#include "adapters/codecs/json_document.h"
#include "adapters/codecs/json_object_reader.h"
#include "adapters/codecs/time_format.h"

namespace hub::codecs {
namespace {

using sghub::v1::AlertBody;

AlertPaths CouncilPaths() {
  return AlertPaths{
      .kind = "/kind",
      .category = "/abuse_category",
      .urgency = "/urgency",
      .purpose = "/purpose",
      .in_reply_to = "/in_reply_to",
      .outcome_code = "/s42/outcome",
      .outcome_detail = "/s42/detail",
      .crime_reference = "/s42/crime_reference",
      .summary = "/concern/what_happened",
      .request = "/request",
      .practitioner_name = "/referrer/name",
      .nhs_number = "/person/nhs_number",
      .family_name = "/person/family_name",
      .date_of_birth = "/person/date_of_birth",
      .postcode = "/person/postcode",
      .art6 = "/lawful_basis/art6",
      .art9 = "/lawful_basis/art9",
      .consent = ConsentPathsUnder("/consent"),
  };
}

void ReadConcern(JsonObjectReader r, sghub::v1::Incident* inc) {
  Assign(r.DateOrDateTime("occurred_at"), [inc](const std::string& v) { inc->set_occurred_at(v); });
  Assign(r.String("location"), [inc](const std::string& v) { inc->set_location(v); });
  Assign(r.String("what_happened"), [inc](const std::string& v) { inc->set_summary(v); });
  Assign(r.Bool("hate_incident"), [inc](bool v) { inc->set_hate_incident(v); });
  for (std::string& m : r.StringArray("hostility_markers")) {
    inc->add_hostility_markers(std::move(m));
  }
  Assign(r.String("suspected_offence"),
         [inc](const std::string& v) { inc->set_suspected_offence(v); });
  Assign(r.String("alleged_perpetrator"),
         [inc](const std::string& v) { inc->set_alleged_perpetrator(v); });
  Assign(r.Bool("perpetrator_in_position_of_trust"),
         [inc](bool v) { inc->set_perpetrator_in_position_of_trust(v); });
  Assign(r.Bool("coercion_or_duress"), [inc](bool v) { inc->set_coercion_or_duress(v); });
  r.RejectUnknownKeys();
}

// Returns whether aware_of_concern was present (it is required for a concern).
bool ReadPersonView(JsonObjectReader r, sghub::v1::PersonVoice* v) {
  std::optional<bool> aware = r.Bool("aware_of_concern");
  Assign(aware, [v](bool b) { v->set_aware_of_referral(b); });
  Assign(r.String("own_words"), [v](const std::string& s) { v->set_own_words(s); });
  for (std::string& o : r.StringArray("desired_outcomes")) {
    v->add_desired_outcomes(std::move(o));
  }
  Assign(r.Enum<sghub::v1::PersonVoice::PoliceInvolvement>("wants_police"),
         [v](sghub::v1::PersonVoice::PoliceInvolvement p) { v->set_wants_police(p); });
  for (std::string& t : r.StringArray("trusted_people")) {
    v->add_trusted_people(std::move(t));
  }
  Assign(r.String("safe_contact_times"), [v](const std::string& s) { v->set_safe_contact_times(s); });
  r.RejectUnknownKeys();
  return aware.has_value();
}

void ReadPractitioner(JsonObjectReader r, sghub::v1::Practitioner* p) {
  Assign(r.String("name"), [p](const std::string& v) { p->set_name(v); });
  Assign(r.String("role"), [p](const std::string& v) { p->set_role(v); });
  Assign(r.String("organisation"), [p](const std::string& v) { p->set_organisation(v); });
  Assign(r.String("telephone"), [p](const std::string& v) { p->set_telephone(v); });
  Assign(r.String("email"), [p](const std::string& v) { p->set_email(v); });
  r.RejectUnknownKeys();
}

void ReadS42(JsonObjectReader r, InboundAlert* a) {
  if (!r.present()) {
    return;
  }
  sghub::v1::Outcome* o = a->body.mutable_outcome();
  Assign(r.Enum<sghub::v1::OutcomeCode>("outcome"), [a, o](sghub::v1::OutcomeCode c) {
    a->outcome_code = c;
    o->set_code(c);
  });
  Assign(r.String("detail"), [o](const std::string& v) { o->set_detail(v); });
  Assign(r.String("case_reference"), [o](const std::string& v) { o->set_case_reference(v); });
  Assign(r.String("crime_reference"), [o](const std::string& v) { o->set_crime_reference(v); });
  Assign(r.String("recorded_by"), [o](const std::string& v) { o->set_recorded_by(v); });
  r.RejectUnknownKeys();
}

}  // namespace

DecodeResult CouncilJsonCodec::Decode(std::string_view document) const {
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
  Assign(root.Enum<sghub::v1::Category>("abuse_category"),
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
  Assign(root.String("case_system"), [&body](const std::string& v) { body.set_source_system(v); });
  Assign(root.String("case_reference"),
         [&body](const std::string& v) { body.set_source_reference(v); });
  ReadPersonJson(root.Object("person"), body.mutable_person());
  std::string narrative;
  ReadConsentJson(root.Object("consent"), &a.consent, &narrative);
  body.set_consent_narrative(narrative);
  ReadLawfulBasisJson(root.Object("lawful_basis"), &a.lawful_basis);
  ReadConcern(root.Object("concern"), body.mutable_incident());
  const bool awareness_given = ReadPersonView(root.Object("person_view"), body.mutable_voice());
  for (JsonObjectReader& r : root.ObjectArray("risks")) {
    ReadRiskJson(std::move(r), body.add_risks());
  }
  for (JsonObjectReader& r : root.ObjectArray("contacts")) {
    ReadContactJson(std::move(r), body.add_contacts());
  }
  ReadPractitioner(root.Object("referrer"), body.mutable_practitioner());
  ReadS42(root.Object("s42"), &a);
  Assign(root.String("request"), [&body](const std::string& v) { body.set_request(v); });
  root.Ignore({HUB_CODECS_DELIVERY_ONLY_KEYS});
  root.RejectUnknownKeys();

  if (!root.Has("person")) {
    AddErrorOnce(&errors, "/person", "required: who the alert is about");
  }
  if (!root.Has("consent")) {
    AddErrorOnce(&errors, "/consent/state", "required: the person's consent position");
  }
  if (a.kind == sghub::v1::ALERT_KIND_CONCERN && !awareness_given) {
    AddErrorOnce(&errors, "/person_view/aware_of_concern",
                 "required for a concern: does the person know about it");
  }
  CheckAlertComplete(a, CouncilPaths(), &errors);
  if (errors.empty()) {
    ClearEmptyParts(&a);
    result.alert = std::move(a);
  }
  return result;
}

Result<std::string> CouncilJsonCodec::Encode(const DeliveredAlert& alert) const {
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
  PutEnum(j, "abuse_category", h.category());
  PutEnum(j, "urgency", h.urgency());
  PutEnum(j, "purpose", h.purpose());
  PutStrings(j, "recipients", h.recipients());
  PutString(j, "in_reply_to", HexOf(h.in_reply_to()));
  PutString(j, "case_system", b.source_system());
  PutString(j, "case_reference", b.source_reference());
  j["person"] = PersonJson(b.person());
  j["consent"] = ConsentJson(h.consent(), b.consent_narrative());
  j["lawful_basis"] = LawfulBasisJson(h.lawful_basis());

  const sghub::v1::Incident& inc = b.incident();
  nlohmann::json concern = nlohmann::json::object();
  PutString(concern, "occurred_at", inc.occurred_at());
  PutString(concern, "location", inc.location());
  PutString(concern, "what_happened", inc.summary());
  concern["hate_incident"] = inc.hate_incident();
  PutStrings(concern, "hostility_markers", inc.hostility_markers());
  PutString(concern, "suspected_offence", inc.suspected_offence());
  PutString(concern, "alleged_perpetrator", inc.alleged_perpetrator());
  concern["perpetrator_in_position_of_trust"] = inc.perpetrator_in_position_of_trust();
  concern["coercion_or_duress"] = inc.coercion_or_duress();
  j["concern"] = std::move(concern);

  const sghub::v1::PersonVoice& v = b.voice();
  nlohmann::json view = nlohmann::json::object();
  view["aware_of_concern"] = v.aware_of_referral();
  PutString(view, "own_words", v.own_words());
  PutStrings(view, "desired_outcomes", v.desired_outcomes());
  PutEnum(view, "wants_police", v.wants_police());
  PutStrings(view, "trusted_people", v.trusted_people());
  PutString(view, "safe_contact_times", v.safe_contact_times());
  j["person_view"] = std::move(view);

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

  const sghub::v1::Practitioner& p = b.practitioner();
  nlohmann::json referrer = nlohmann::json::object();
  PutString(referrer, "name", p.name());
  PutString(referrer, "role", p.role());
  PutString(referrer, "organisation", p.organisation());
  PutString(referrer, "telephone", p.telephone());
  PutString(referrer, "email", p.email());
  j["referrer"] = std::move(referrer);

  if (h.outcome_code() != sghub::v1::OUTCOME_CODE_UNSPECIFIED || b.has_outcome()) {
    const sghub::v1::Outcome& o = b.outcome();
    nlohmann::json s42 = nlohmann::json::object();
    PutEnum(s42, "outcome",
            h.outcome_code() != sghub::v1::OUTCOME_CODE_UNSPECIFIED ? h.outcome_code() : o.code());
    PutString(s42, "detail", o.detail());
    PutString(s42, "case_reference", o.case_reference());
    PutString(s42, "crime_reference", o.crime_reference());
    PutString(s42, "recorded_by", o.recorded_by());
    j["s42"] = std::move(s42);
  }
  PutString(j, "request", b.request());
  return DumpJson(j);
}

Result<std::string> CouncilJsonCodec::EncodeNotice(const sghub::v1::NoticeBody& notice) const {
  return DumpJson(NoticeJson(notice));
}

}  // namespace hub::codecs
