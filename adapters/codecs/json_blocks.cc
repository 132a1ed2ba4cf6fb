#include "adapters/codecs/json_blocks.h"

#include "adapters/codecs/time_format.h"
#include "hub/base/bytes.h"
#include "hub/wire/subject_ref.h"

namespace hub::codecs {

using sghub::v1::AgencyKind;
using sghub::v1::Purpose;

namespace {

// The string `key`, which each item of a list (a risk, a contact) must have.
std::optional<std::string> RequiredString(JsonObjectReader& r, std::string_view key,
                                          std::string reason) {
  std::optional<std::string> s = r.String(key);
  if (!s) {
    AddErrorOnce(r.errors(), r.PathOf(key), std::move(reason));
  }
  return s;
}

// The names of repeated enum values (stored as int by protobuf).
template <typename E>
nlohmann::json EnumNamesJson(const google::protobuf::RepeatedField<int>& values) {
  nlohmann::json names = nlohmann::json::array();
  for (int v : values) {
    names.push_back(EnumName(static_cast<E>(v)));
  }
  return names;
}

}  // namespace

void PutString(nlohmann::json& j, const char* key, const std::string& value) {
  if (!value.empty()) {
    j[key] = value;
  }
}

void PutStrings(nlohmann::json& j, const char* key,
                const google::protobuf::RepeatedPtrField<std::string>& values) {
  if (!values.empty()) {
    j[key] = std::vector<std::string>(values.begin(), values.end());
  }
}

void PutTimestamp(nlohmann::json& j, const char* key, int64_t ms) {
  if (ms != 0) {
    j[key] = FormatIsoTimestampMs(ms);
  }
}

Result<std::string> DumpJson(const nlohmann::json& j) {
  try {
    // replace: a string that is not UTF-8 must not abort the whole delivery.
    return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  } catch (const std::exception&) {
    return Status::Internal("could not write the JSON document");
  }
}

void ReadPersonJson(JsonObjectReader r, sghub::v1::Person* p) {
  if (std::optional<std::string> nhs = r.String("nhs_number")) {
    if (auto norm = wire::NormaliseNhsNumber(*nhs); norm.ok()) {
      p->set_nhs_number(*norm);
    } else {
      r.Error("nhs_number", "not a valid NHS number: " + norm.status().message());
    }
  }
  Assign(r.String("local_id"), [p](const std::string& v) { p->set_local_id(v); });
  Assign(r.String("family_name"), [p](const std::string& v) { p->set_family_name(v); });
  Assign(r.String("given_names"), [p](const std::string& v) { p->set_given_names(v); });
  Assign(r.Date("date_of_birth"), [p](const std::string& v) { p->set_date_of_birth(v); });
  Assign(r.String("gender"), [p](const std::string& v) { p->set_gender(v); });
  Assign(r.String("address"), [p](const std::string& v) { p->set_address(v); });
  Assign(r.String("postcode"), [p](const std::string& v) { p->set_postcode(v); });
  Assign(r.String("preferred_language"),
         [p](const std::string& v) { p->set_preferred_language(v); });
  for (std::string& need : r.StringArray("communication_needs")) {
    p->add_communication_needs(std::move(need));
  }
  r.RejectUnknownKeys();
}

nlohmann::json PersonJson(const sghub::v1::Person& p) {
  nlohmann::json j = nlohmann::json::object();
  PutString(j, "nhs_number", p.nhs_number());
  PutString(j, "local_id", p.local_id());
  PutString(j, "family_name", p.family_name());
  PutString(j, "given_names", p.given_names());
  PutString(j, "date_of_birth", p.date_of_birth());
  PutString(j, "gender", p.gender());
  PutString(j, "address", p.address());
  PutString(j, "postcode", p.postcode());
  PutString(j, "preferred_language", p.preferred_language());
  PutStrings(j, "communication_needs", p.communication_needs());
  return j;
}

void ReadConsentJson(JsonObjectReader r, sghub::v1::Consent* c, std::string* narrative) {
  Assign(r.Enum<sghub::v1::ConsentState>("state"),
         [c](sghub::v1::ConsentState v) { c->set_state(v); });
  JsonObjectReader scope = r.Object("scope");
  if (scope.present()) {
    for (AgencyKind k : scope.EnumArray<AgencyKind>("recipient_kinds")) {
      c->mutable_scope()->add_recipient_kinds(k);
    }
    for (Purpose p : scope.EnumArray<Purpose>("purposes")) {
      c->mutable_scope()->add_purposes(p);
    }
    Assign(scope.TimestampMs("expires_at"),
           [c](int64_t v) { c->mutable_scope()->set_expires_at_ms(v); });
    scope.RejectUnknownKeys();
  }
  Assign(r.Enum<sghub::v1::NotSoughtReason>("not_sought_reason"),
         [c](sghub::v1::NotSoughtReason v) { c->set_not_sought_reason(v); });
  JsonObjectReader capacity = r.Object("capacity");
  Assign(capacity.String("assessment_ref"),
         [c](const std::string& v) { c->set_capacity_assessment_ref(v); });
  Assign(capacity.Enum<sghub::v1::CapacityDecisionBy>("decision_by"),
         [c](sghub::v1::CapacityDecisionBy v) { c->set_capacity_decision_by(v); });
  capacity.RejectUnknownKeys();

  JsonObjectReader ov = r.Object("override");
  Assign(ov.Enum<sghub::v1::OverrideBasis>("basis"),
         [c](sghub::v1::OverrideBasis v) { c->set_override_basis(v); });
  JsonObjectReader d = ov.Object("decision");
  if (d.present()) {
    sghub::v1::DecisionRecord* rec = c->mutable_decision();
    Assign(d.String("decided_by_name"),
           [rec](const std::string& v) { rec->set_decided_by_name(v); });
    Assign(d.String("decided_by_role"),
           [rec](const std::string& v) { rec->set_decided_by_role(v); });
    Assign(d.String("decided_by_organisation"),
           [rec](const std::string& v) { rec->set_decided_by_organisation(v); });
    Assign(d.TimestampMs("decided_at"), [rec](int64_t v) { rec->set_decided_at_ms(v); });
    Assign(d.String("reason"), [rec](const std::string& v) { rec->set_reason(v); });
    Assign(d.Enum<sghub::v1::AdviceSought>("advice_sought"),
           [rec](sghub::v1::AdviceSought v) { rec->set_advice_sought(v); });
    Assign(d.Enum<sghub::v1::PersonTold>("person_told"),
           [rec](sghub::v1::PersonTold v) { rec->set_person_told(v); });
    Assign(d.String("not_told_reason"),
           [rec](const std::string& v) { rec->set_not_told_reason(v); });
    d.RejectUnknownKeys();
  }
  ov.RejectUnknownKeys();
  Assign(r.String("narrative"), [narrative](const std::string& v) { *narrative = v; });
  r.RejectUnknownKeys();
}

nlohmann::json ConsentJson(const sghub::v1::Consent& c, const std::string& narrative) {
  nlohmann::json j = nlohmann::json::object();
  PutEnum(j, "state", c.state());
  if (c.has_scope()) {
    nlohmann::json s = nlohmann::json::object();
    s["recipient_kinds"] = EnumNamesJson<AgencyKind>(c.scope().recipient_kinds());
    s["purposes"] = EnumNamesJson<Purpose>(c.scope().purposes());
    PutTimestamp(s, "expires_at", c.scope().expires_at_ms());
    j["scope"] = std::move(s);
  }
  PutEnum(j, "not_sought_reason", c.not_sought_reason());
  if (!c.capacity_assessment_ref().empty() ||
      c.capacity_decision_by() != sghub::v1::CAPACITY_DECISION_BY_UNSPECIFIED) {
    nlohmann::json cap = nlohmann::json::object();
    PutString(cap, "assessment_ref", c.capacity_assessment_ref());
    PutEnum(cap, "decision_by", c.capacity_decision_by());
    j["capacity"] = std::move(cap);
  }
  if (c.override_basis() != sghub::v1::OVERRIDE_BASIS_UNSPECIFIED || c.has_decision()) {
    nlohmann::json ov = nlohmann::json::object();
    PutEnum(ov, "basis", c.override_basis());
    if (c.has_decision()) {
      const sghub::v1::DecisionRecord& d = c.decision();
      nlohmann::json dj = nlohmann::json::object();
      PutString(dj, "decided_by_name", d.decided_by_name());
      PutString(dj, "decided_by_role", d.decided_by_role());
      PutString(dj, "decided_by_organisation", d.decided_by_organisation());
      PutTimestamp(dj, "decided_at", d.decided_at_ms());
      PutString(dj, "reason", d.reason());
      PutEnum(dj, "advice_sought", d.advice_sought());
      PutEnum(dj, "person_told", d.person_told());
      PutString(dj, "not_told_reason", d.not_told_reason());
      ov["decision"] = std::move(dj);
    }
    j["override"] = std::move(ov);
  }
  PutString(j, "narrative", narrative);
  return j;
}

ConsentPaths ConsentPathsUnder(const std::string& base) {
  const std::string d = base + "/override/decision/";
  return ConsentPaths{
      .state = base + "/state",
      .scope_recipient_kinds = base + "/scope/recipient_kinds",
      .scope_purposes = base + "/scope/purposes",
      .scope_expires_at = base + "/scope/expires_at",
      .not_sought_reason = base + "/not_sought_reason",
      .capacity_assessment_ref = base + "/capacity/assessment_ref",
      .capacity_decision_by = base + "/capacity/decision_by",
      .override_basis = base + "/override/basis",
      .decided_by_name = d + "decided_by_name",
      .decided_by_role = d + "decided_by_role",
      .decided_by_organisation = d + "decided_by_organisation",
      .decided_at = d + "decided_at",
      .decision_reason = d + "reason",
      .advice_sought = d + "advice_sought",
      .person_told = d + "person_told",
      .not_told_reason = d + "not_told_reason",
  };
}

void ReadLawfulBasisJson(JsonObjectReader r, sghub::v1::LawfulBasis* out) {
  Assign(r.Enum<sghub::v1::Art6Basis>("art6"), [out](sghub::v1::Art6Basis v) { out->set_art6(v); });
  Assign(r.Enum<sghub::v1::Art9Condition>("art9"),
         [out](sghub::v1::Art9Condition v) { out->set_art9(v); });
  r.RejectUnknownKeys();
}

nlohmann::json LawfulBasisJson(const sghub::v1::LawfulBasis& b) {
  nlohmann::json j = nlohmann::json::object();
  PutEnum(j, "art6", b.art6());
  PutEnum(j, "art9", b.art9());
  return j;
}

void ReadRiskJson(JsonObjectReader r, sghub::v1::Risk* out) {
  Assign(RequiredString(r, "description", "required for each risk"),
         [out](const std::string& v) { out->set_description(v); });
  Assign(r.String("level"), [out](const std::string& v) { out->set_level(v); });
  Assign(r.Bool("others_at_risk"), [out](bool v) { out->set_others_at_risk(v); });
  Assign(r.String("others_detail"), [out](const std::string& v) { out->set_others_detail(v); });
  r.RejectUnknownKeys();
}

nlohmann::json RiskJson(const sghub::v1::Risk& risk) {
  nlohmann::json j = nlohmann::json::object();
  PutString(j, "description", risk.description());
  PutString(j, "level", risk.level());
  j["others_at_risk"] = risk.others_at_risk();
  PutString(j, "others_detail", risk.others_detail());
  return j;
}

void ReadContactJson(JsonObjectReader r, sghub::v1::Contact* out) {
  Assign(RequiredString(r, "name", "required for each contact"),
         [out](const std::string& v) { out->set_name(v); });
  Assign(r.String("relationship"), [out](const std::string& v) { out->set_relationship(v); });
  Assign(r.String("telephone"), [out](const std::string& v) { out->set_telephone(v); });
  Assign(r.String("email"), [out](const std::string& v) { out->set_email(v); });
  Assign(r.Bool("safe_to_contact"), [out](bool v) { out->set_safe_to_contact(v); });
  r.RejectUnknownKeys();
}

nlohmann::json ContactJson(const sghub::v1::Contact& c) {
  nlohmann::json j = nlohmann::json::object();
  PutString(j, "name", c.name());
  PutString(j, "relationship", c.relationship());
  PutString(j, "telephone", c.telephone());
  PutString(j, "email", c.email());
  j["safe_to_contact"] = c.safe_to_contact();
  return j;
}

std::string HexOf(const std::string& bytes) {
  return bytes.empty() ? "" : HexEncode(AsBytes(bytes));
}

nlohmann::json NoticeJson(const sghub::v1::NoticeBody& n) {
  nlohmann::json j = nlohmann::json::object();
  PutEnum(j, "notice", n.kind());
  PutString(j, "notice_id", HexOf(n.notice_id()));
  PutString(j, "to", n.to());
  PutString(j, "message_id", HexOf(n.message_id()));
  PutString(j, "recipient", n.recipient());
  PutEnum(j, "reason_code", n.reason_code());
  PutString(j, "reason", n.reason());
  PutTimestamp(j, "at", n.at_ms());
  PutEnum(j, "stage", n.stage());
  PutEnum(j, "outcome_code", n.outcome_code());
  PutTimestamp(j, "deadline", n.deadline_ms());
  if (!n.subject_refs().empty()) {
    nlohmann::json refs = nlohmann::json::array();
    for (const std::string& r : n.subject_refs()) {
      refs.push_back(HexOf(r));
    }
    j["subject_refs"] = std::move(refs);
  }
  if (!n.delivered().empty()) {
    nlohmann::json delivered = nlohmann::json::array();
    for (const sghub::v1::Delivered& d : n.delivered()) {
      delivered.push_back({{"message_id", HexOf(d.message_id())}, {"recipient", d.recipient()}});
    }
    j["delivered"] = std::move(delivered);
  }
  return j;
}

}  // namespace hub::codecs
