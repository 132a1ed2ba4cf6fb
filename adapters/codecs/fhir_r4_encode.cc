// FhirR4Codec::Encode and EncodeNotice: a delivered alert or a hub notice as a FHIR R4
// message Bundle. Everything the hub knows is written either as a native FHIR element or as
// an sghub extension, so Decode reads back what Encode wrote.
#include <string>
#include <utility>

#include "adapters/codecs/enum_names.h"
#include "adapters/codecs/fhir_bundle.h"
#include "adapters/codecs/fhir_r4_codec.h"
#include "adapters/codecs/json_blocks.h"
#include "adapters/codecs/time_format.h"

namespace hub::codecs {
namespace {

using nlohmann::json;

std::string Url(std::string_view name) {
  return std::string(kSghubExtensionBase) + std::string(name);
}

json Ext(std::string_view name, const char* value_key, json value) {
  return json{{"url", Url(name)}, {value_key, std::move(value)}};
}
json SubExt(std::string_view name, const char* value_key, json value) {
  return json{{"url", std::string(name)}, {value_key, std::move(value)}};
}
void AddSubString(json& parts, std::string_view name, const std::string& value) {
  if (!value.empty()) {
    parts.push_back(SubExt(name, "valueString", value));
  }
}
void AddSubDateTime(json& parts, std::string_view name, int64_t ms) {
  if (ms != 0) {
    parts.push_back(SubExt(name, "valueDateTime", FormatIsoTimestampMs(ms)));
  }
}
template <typename E>
void AddSubCode(json& parts, std::string_view name, E value) {
  std::string code = EnumName(value);
  if (!code.empty()) {
    parts.push_back(SubExt(name, "valueCode", code));
  }
}
json Complex(std::string_view name, json parts) {
  return json{{"url", Url(name)}, {"extension", std::move(parts)}};
}

// A urn:uuid for the n-th resource of the bundle, derived from the message id so the same
// delivery always encodes to the same bytes.
std::string Uuid(const std::string& id_bytes, int n) {
  std::string b = id_bytes;
  b.resize(16, '\0');
  b[15] = static_cast<char>(b[15] ^ static_cast<char>(n));
  const std::string hex = HexOf(b);
  return "urn:uuid:" + hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20, 12);
}

std::string Priority(sghub::v1::Urgency u) {
  switch (u) {
    case sghub::v1::URGENCY_IMMEDIATE:
      return "stat";
    case sghub::v1::URGENCY_URGENT:
      return "urgent";
    case sghub::v1::URGENCY_ROUTINE:
      return "routine";
    default:
      return "";
  }
}

json Reference(const std::string& url) { return json{{"reference", url}}; }

json TelecomJson(const std::string& phone, const std::string& email) {
  json t = json::array();
  if (!phone.empty()) {
    t.push_back({{"system", "phone"}, {"value", phone}});
  }
  if (!email.empty()) {
    t.push_back({{"system", "email"}, {"value", email}});
  }
  return t;
}

json PatientJson(const sghub::v1::Person& p) {
  json r = {{"resourceType", "Patient"}};
  json ids = json::array();
  if (!p.nhs_number().empty()) {
    ids.push_back({{"system", "https://fhir.nhs.uk/Id/nhs-number"}, {"value", p.nhs_number()}});
  }
  if (!p.local_id().empty()) {
    ids.push_back(
        {{"system", std::string(kSghubFhirBase) + "Id/local-id"}, {"value", p.local_id()}});
  }
  if (!ids.empty()) {
    r["identifier"] = std::move(ids);
  }
  if (!p.family_name().empty() || !p.given_names().empty()) {
    json name = {{"use", "official"}};
    PutString(name, "family", p.family_name());
    if (!p.given_names().empty()) {
      name["given"] = json::array({p.given_names()});
    }
    r["name"] = json::array({std::move(name)});
  }
  PutString(r, "gender", p.gender());
  PutString(r, "birthDate", p.date_of_birth());
  if (!p.address().empty() || !p.postcode().empty()) {
    json a = {{"use", "home"}};
    PutString(a, "text", p.address());
    PutString(a, "postalCode", p.postcode());
    r["address"] = json::array({std::move(a)});
  }
  if (!p.preferred_language().empty()) {
    r["communication"] =
        json::array({{{"language", {{"text", p.preferred_language()}}}, {"preferred", true}}});
  }
  json exts = json::array();
  for (const std::string& need : p.communication_needs()) {
    exts.push_back(Ext("sghub-communication-need", "valueString", need));
  }
  if (!exts.empty()) {
    r["extension"] = std::move(exts);
  }
  return r;
}

json ConsentResource(const sghub::v1::Consent& c, const std::string& narrative,
                     const std::string& patient_url) {
  json r = {
      {"resourceType", "Consent"},
      {"status", c.state() == sghub::v1::CONSENT_STATE_WITHDRAWN ? "inactive" : "active"},
      {"scope",
       {{"coding", json::array({{{"system", "http://terminology.hl7.org/CodeSystem/consentscope"},
                                 {"code", "patient-privacy"}}})}}},
      {"category", json::array({{{"text", "Safeguarding information sharing"}}})},
      {"patient", Reference(patient_url)}};
  json provision = json::object();
  if (c.state() == sghub::v1::CONSENT_STATE_GIVEN) {
    provision["type"] = "permit";
  } else if (c.state() == sghub::v1::CONSENT_STATE_REFUSED) {
    provision["type"] = "deny";
  }
  if (c.scope().expires_at_ms() != 0) {
    provision["period"] = {{"end", FormatIsoTimestampMs(c.scope().expires_at_ms())}};
  }
  if (!provision.empty()) {
    r["provision"] = std::move(provision);
  }
  json exts = json::array();
  if (c.state() != sghub::v1::CONSENT_STATE_UNSPECIFIED) {
    exts.push_back(Ext("sghub-consent-state", "valueCode", EnumName(c.state())));
  }
  for (int k : c.scope().recipient_kinds()) {
    exts.push_back(Ext("sghub-consent-recipient-kind", "valueCode",
                       EnumName(static_cast<sghub::v1::AgencyKind>(k))));
  }
  for (int p : c.scope().purposes()) {
    exts.push_back(
        Ext("sghub-consent-purpose", "valueCode", EnumName(static_cast<sghub::v1::Purpose>(p))));
  }
  if (c.not_sought_reason() != sghub::v1::NOT_SOUGHT_REASON_UNSPECIFIED) {
    exts.push_back(Ext("sghub-not-sought-reason", "valueCode", EnumName(c.not_sought_reason())));
  }
  if (!c.capacity_assessment_ref().empty() ||
      c.capacity_decision_by() != sghub::v1::CAPACITY_DECISION_BY_UNSPECIFIED) {
    json parts = json::array();
    AddSubString(parts, "assessmentRef", c.capacity_assessment_ref());
    AddSubCode(parts, "decisionBy", c.capacity_decision_by());
    exts.push_back(Complex("sghub-capacity", std::move(parts)));
  }
  if (c.override_basis() != sghub::v1::OVERRIDE_BASIS_UNSPECIFIED || c.has_decision()) {
    const sghub::v1::DecisionRecord& d = c.decision();
    json parts = json::array();
    AddSubCode(parts, "basis", c.override_basis());
    AddSubString(parts, "decidedByName", d.decided_by_name());
    AddSubString(parts, "decidedByRole", d.decided_by_role());
    AddSubString(parts, "decidedByOrganisation", d.decided_by_organisation());
    AddSubDateTime(parts, "decidedAt", d.decided_at_ms());
    AddSubString(parts, "reason", d.reason());
    AddSubCode(parts, "adviceSought", d.advice_sought());
    AddSubCode(parts, "personTold", d.person_told());
    AddSubString(parts, "notToldReason", d.not_told_reason());
    exts.push_back(Complex("sghub-override", std::move(parts)));
  }
  if (!narrative.empty()) {
    exts.push_back(Ext("sghub-consent-narrative", "valueString", narrative));
  }
  if (!exts.empty()) {
    r["extension"] = std::move(exts);
  }
  return r;
}

json RiskExtension(const sghub::v1::Risk& risk) {
  json parts = json::array();
  AddSubString(parts, "description", risk.description());
  AddSubString(parts, "level", risk.level());
  parts.push_back(SubExt("othersAtRisk", "valueBoolean", risk.others_at_risk()));
  AddSubString(parts, "othersDetail", risk.others_detail());
  return Complex("sghub-risk", std::move(parts));
}

json MessageHeader(const std::string& event, const std::string& sender,
                   const google::protobuf::RepeatedPtrField<std::string>& recipients,
                   const std::string& to, const std::string& source_software,
                   const std::string& focus_url) {
  json h = {{"resourceType", "MessageHeader"},
            {"eventCoding",
             {{"system", std::string(kSghubFhirBase) + "CodeSystem/sghub-event"}, {"code", event}}},
            {"source", {{"name", sender}, {"endpoint", "sghub:" + sender}}},
            {"focus", json::array({Reference(focus_url)})}};
  if (!source_software.empty()) {
    h["source"]["software"] = source_software;
  }
  json dest = json::array();
  for (const std::string& r : recipients) {
    dest.push_back({{"name", r}, {"endpoint", "sghub:" + r}});
  }
  if (!to.empty()) {
    dest.push_back({{"name", to}, {"endpoint", "sghub:" + to}});
  }
  if (!dest.empty()) {
    h["destination"] = std::move(dest);
  }
  return h;
}

json Entry(const std::string& url, json resource) {
  return json{{"fullUrl", url}, {"resource", std::move(resource)}};
}

}  // namespace

Result<std::string> FhirR4Codec::Encode(const DeliveredAlert& alert) const {
  const sghub::v1::Header& h = alert.header;
  const sghub::v1::AlertBody& b = alert.body;
  const std::string& id = h.message_id();
  const std::string header_url = Uuid(id, 1);
  const std::string comm_url = Uuid(id, 2);
  const std::string flag_url = Uuid(id, 3);
  const std::string patient_url = Uuid(id, 4);
  const std::string practitioner_url = Uuid(id, 5);
  const std::string role_url = Uuid(id, 6);
  const std::string org_url = Uuid(id, 7);
  const std::string consent_url = Uuid(id, 8);

  json entries = json::array();
  entries.push_back(
      Entry(header_url, MessageHeader("sghub-" + EnumName(h.kind()), h.sender(), h.recipients(), "",
                                      b.source_system(), comm_url)));

  // The Communication carries the alert: text, priority and the sghub extensions.
  json comm = {{"resourceType", "Communication"}, {"status", "completed"}};
  if (!b.source_reference().empty()) {
    comm["identifier"] =
        json::array({{{"system", std::string(kSghubFhirBase) + "Id/source-reference"},
                      {"value", b.source_reference()}}});
  }
  PutString(comm, "priority", Priority(h.urgency()));
  comm["subject"] = Reference(patient_url);
  PutTimestamp(comm, "sent", h.created_at_ms());
  const bool has_practitioner = b.has_practitioner() && b.practitioner().ByteSizeLong() != 0;
  if (has_practitioner) {
    comm["sender"] = Reference(practitioner_url);
  }
  const std::string& text =
      h.kind() == sghub::v1::ALERT_KIND_INFO_REQUEST ? b.request() : b.incident().summary();
  if (!text.empty()) {
    comm["payload"] = json::array({{{"contentString", text}}});
  }
  json exts = json::array();
  if (h.kind() != sghub::v1::ALERT_KIND_UNSPECIFIED) {
    exts.push_back(Ext("sghub-alert-kind", "valueCode", EnumName(h.kind())));
  }
  if (h.purpose() != sghub::v1::PURPOSE_UNSPECIFIED) {
    exts.push_back(Ext("sghub-purpose", "valueCode", EnumName(h.purpose())));
  }
  for (const std::string& r : h.recipients()) {
    exts.push_back(Ext("sghub-recipient", "valueString", r));
  }
  if (!h.in_reply_to().empty()) {
    exts.push_back(Ext("sghub-in-reply-to", "valueString", HexOf(h.in_reply_to())));
  }
  if (h.outcome_code() != sghub::v1::OUTCOME_CODE_UNSPECIFIED || b.has_outcome()) {
    const sghub::v1::Outcome& o = b.outcome();
    json parts = json::array();
    AddSubCode(
        parts, "code",
        h.outcome_code() != sghub::v1::OUTCOME_CODE_UNSPECIFIED ? h.outcome_code() : o.code());
    AddSubString(parts, "detail", o.detail());
    AddSubString(parts, "crimeReference", o.crime_reference());
    AddSubString(parts, "caseReference", o.case_reference());
    AddSubString(parts, "recordedBy", o.recorded_by());
    exts.push_back(Complex("sghub-outcome", std::move(parts)));
  }
  {
    json parts = json::array();
    AddSubCode(parts, "art6", h.lawful_basis().art6());
    AddSubCode(parts, "art9", h.lawful_basis().art9());
    exts.push_back(Complex("sghub-lawful-basis", std::move(parts)));
  }
  const sghub::v1::Incident& inc = b.incident();
  {
    json parts = json::array();
    if (!inc.occurred_at().empty()) {
      parts.push_back(SubExt("occurredAt",
                             inc.occurred_at().size() == 10 ? "valueDate" : "valueDateTime",
                             inc.occurred_at()));
    }
    AddSubString(parts, "location", inc.location());
    parts.push_back(SubExt("hateIncident", "valueBoolean", inc.hate_incident()));
    for (const std::string& m : inc.hostility_markers()) {
      parts.push_back(SubExt("hostilityMarker", "valueString", m));
    }
    AddSubString(parts, "suspectedOffence", inc.suspected_offence());
    AddSubString(parts, "allegedPerpetrator", inc.alleged_perpetrator());
    parts.push_back(SubExt("perpetratorInPositionOfTrust", "valueBoolean",
                           inc.perpetrator_in_position_of_trust()));
    parts.push_back(SubExt("coercionOrDuress", "valueBoolean", inc.coercion_or_duress()));
    exts.push_back(Complex("sghub-incident", std::move(parts)));
  }
  {
    const sghub::v1::PersonVoice& v = b.voice();
    json parts = json::array();
    AddSubString(parts, "ownWords", v.own_words());
    for (const std::string& s : v.desired_outcomes()) {
      parts.push_back(SubExt("desiredOutcome", "valueString", s));
    }
    parts.push_back(SubExt("awareOfReferral", "valueBoolean", v.aware_of_referral()));
    AddSubCode(parts, "wantsPolice", v.wants_police());
    for (const std::string& s : v.trusted_people()) {
      parts.push_back(SubExt("trustedPerson", "valueString", s));
    }
    AddSubString(parts, "safeContactTimes", v.safe_contact_times());
    exts.push_back(Complex("sghub-voice", std::move(parts)));
  }
  comm["extension"] = std::move(exts);
  entries.push_back(Entry(comm_url, std::move(comm)));

  // The Flag marks the patient's record; it carries the category and the risks.
  if (h.category() != sghub::v1::CATEGORY_UNSPECIFIED || !b.risks().empty()) {
    json flag = {
        {"resourceType", "Flag"},
        {"status", "active"},
        {"category",
         json::array({{{"coding", json::array({{{"system", std::string(kSghubFhirBase) +
                                                               "CodeSystem/flag-category"},
                                                {"code", "SG"},
                                                {"display", "Safeguarding Concern"}}})}}})},
        {"code", {{"text", "Safeguarding concern: " + EnumName(h.category())}}},
        {"subject", Reference(patient_url)}};
    json fexts = json::array();
    if (h.category() != sghub::v1::CATEGORY_UNSPECIFIED) {
      fexts.push_back(Ext("sghub-category", "valueCode", EnumName(h.category())));
    }
    for (const sghub::v1::Risk& r : b.risks()) {
      fexts.push_back(RiskExtension(r));
    }
    flag["extension"] = std::move(fexts);
    entries.push_back(Entry(flag_url, std::move(flag)));
  }

  json patient = PatientJson(b.person());
  if (!b.contacts().empty()) {
    json contacts = json::array();
    for (const sghub::v1::Contact& c : b.contacts()) {
      json cj = {{"name", {{"text", c.name()}}}};
      if (!c.relationship().empty()) {
        cj["relationship"] = json::array({{{"text", c.relationship()}}});
      }
      json t = TelecomJson(c.telephone(), c.email());
      if (!t.empty()) {
        cj["telecom"] = std::move(t);
      }
      cj["extension"] =
          json::array({Ext("sghub-safe-to-contact", "valueBoolean", c.safe_to_contact())});
      contacts.push_back(std::move(cj));
    }
    patient["contact"] = std::move(contacts);
  }
  entries.push_back(Entry(patient_url, std::move(patient)));

  if (has_practitioner) {
    const sghub::v1::Practitioner& p = b.practitioner();
    json pr = {{"resourceType", "Practitioner"}};
    if (!p.name().empty()) {
      pr["name"] = json::array({{{"text", p.name()}}});
    }
    json t = TelecomJson(p.telephone(), p.email());
    if (!t.empty()) {
      pr["telecom"] = std::move(t);
    }
    entries.push_back(Entry(practitioner_url, std::move(pr)));
    if (!p.role().empty() || !p.organisation().empty()) {
      json role = {{"resourceType", "PractitionerRole"},
                   {"practitioner", Reference(practitioner_url)}};
      if (!p.role().empty()) {
        role["code"] = json::array({{{"text", p.role()}}});
      }
      if (!p.organisation().empty()) {
        role["organization"] = Reference(org_url);
      }
      entries.push_back(Entry(role_url, std::move(role)));
      if (!p.organisation().empty()) {
        entries.push_back(
            Entry(org_url, json{{"resourceType", "Organization"}, {"name", p.organisation()}}));
      }
    }
  }
  entries.push_back(
      Entry(consent_url, ConsentResource(h.consent(), b.consent_narrative(), patient_url)));

  json bundle = {{"resourceType", "Bundle"}, {"type", "message"}};
  if (!id.empty()) {
    bundle["id"] = HexOf(id);
  }
  PutTimestamp(bundle, "timestamp", h.created_at_ms());
  bundle["entry"] = std::move(entries);
  return DumpJson(bundle);
}

Result<std::string> FhirR4Codec::EncodeNotice(const sghub::v1::NoticeBody& n) const {
  const std::string header_url = Uuid(n.notice_id(), 1);
  const std::string comm_url = Uuid(n.notice_id(), 2);
  const std::string kind = EnumName(n.kind());

  json comm = {
      {"resourceType", "Communication"},
      {"status", "completed"},
      {"category",
       json::array({{{"coding", json::array({{{"system", std::string(kSghubFhirBase) +
                                                             "CodeSystem/sghub-notice-kind"},
                                              {"code", kind}}})}}})}};
  PutTimestamp(comm, "sent", n.at_ms());
  if (!n.reason().empty()) {
    comm["payload"] = json::array({{{"contentString", n.reason()}}});
  }
  json parts = json::array();
  AddSubString(parts, "noticeId", HexOf(n.notice_id()));
  AddSubString(parts, "messageId", HexOf(n.message_id()));
  AddSubString(parts, "recipient", n.recipient());
  AddSubCode(parts, "reasonCode", n.reason_code());
  AddSubCode(parts, "stage", n.stage());
  AddSubCode(parts, "outcomeCode", n.outcome_code());
  AddSubDateTime(parts, "deadline", n.deadline_ms());
  for (const std::string& ref : n.subject_refs()) {
    parts.push_back(SubExt("subjectRef", "valueString", HexOf(ref)));
  }
  for (const sghub::v1::Delivered& d : n.delivered()) {
    json delivered = json::array();
    AddSubString(delivered, "messageId", HexOf(d.message_id()));
    AddSubString(delivered, "recipient", d.recipient());
    parts.push_back(Complex("delivered", std::move(delivered)));
  }
  comm["extension"] = json::array({Complex("sghub-notice", std::move(parts))});

  google::protobuf::RepeatedPtrField<std::string> none;
  json entries = json::array();
  entries.push_back(
      Entry(header_url, MessageHeader("sghub-notice-" + kind, "hub", none, n.to(), "", comm_url)));
  entries.push_back(Entry(comm_url, std::move(comm)));
  json bundle = {{"resourceType", "Bundle"}, {"type", "message"}};
  if (!n.notice_id().empty()) {
    bundle["id"] = HexOf(n.notice_id());
  }
  PutTimestamp(bundle, "timestamp", n.at_ms());
  bundle["entry"] = std::move(entries);
  return DumpJson(bundle);
}

}  // namespace hub::codecs
