#include "adapters/codecs/council_json_codec.h"

#include <utility>

#include "adapters/codecs/alert_checks.h"
#include "adapters/codecs/json_alert_fields.h"
#include "adapters/codecs/json_blocks.h"
#include "adapters/codecs/json_document.h"
#include "adapters/codecs/json_object_reader.h"

namespace hub::codecs {
namespace {

using sghub::v1::AlertBody;

const AgencyJsonKeys& CouncilKeys() {
  static constexpr AgencyJsonKeys kKeys{
      .category = "abuse_category",
      .source_system = "case_system",
      .source_reference = "case_reference",
      .outcome_block = "s42",
      .outcome_code = "outcome",
  };
  return kKeys;
}

AlertPaths CouncilPaths() {
  AlertPaths paths = AgencyJsonPaths(CouncilKeys());
  paths.summary = "/concern/what_happened";
  paths.practitioner_name = "/referrer/name";
  return paths;
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
  sghub::v1::Outcome* o = ReadOutcomeCodeJson(r, CouncilKeys(), a);
  if (o == nullptr) {
    return;
  }
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
  std::optional<nlohmann::json> doc = ParseJsonObjectDocument(document, "a JSON object", &errors);
  if (!doc) {
    return result;
  }
  JsonObjectReader root(&*doc, "", &errors);
  InboundAlert a;
  AlertBody& body = a.body;

  ReadAlertFieldsJson(root, CouncilKeys(), &a);
  ReadPersonJson(root.Object("person"), body.mutable_person());
  ReadConsentAndBasisJson(root, &a);
  ReadConcern(root.Object("concern"), body.mutable_incident());
  const bool awareness_given = ReadPersonView(root.Object("person_view"), body.mutable_voice());
  ReadRisksAndContactsJson(root, &body);
  ReadPractitioner(root.Object("referrer"), body.mutable_practitioner());
  ReadS42(root.Object(CouncilKeys().outcome_block), &a);
  FinishReadingRootJson(root, "alert", &a);

  if (a.kind == sghub::v1::ALERT_KIND_CONCERN && !awareness_given) {
    AddErrorOnce(&errors, "/person_view/aware_of_concern",
                 "required for a concern: does the person know about it");
  }
  FinishDecode(std::move(a), CouncilPaths(), &result);
  return result;
}

Result<std::string> CouncilJsonCodec::Encode(const DeliveredAlert& alert) const {
  const AlertBody& b = alert.body;
  nlohmann::json j = SharedAlertJson(alert, CouncilKeys());

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

  const sghub::v1::Practitioner& p = b.practitioner();
  nlohmann::json referrer = nlohmann::json::object();
  PutString(referrer, "name", p.name());
  PutString(referrer, "role", p.role());
  PutString(referrer, "organisation", p.organisation());
  PutString(referrer, "telephone", p.telephone());
  PutString(referrer, "email", p.email());
  j["referrer"] = std::move(referrer);
  return DumpJson(j);
}

Result<std::string> CouncilJsonCodec::EncodeNotice(const sghub::v1::NoticeBody& notice) const {
  return DumpJson(NoticeJson(notice));
}

}  // namespace hub::codecs
