#include "adapters/codecs/json_alert_fields.h"

#include <string>
#include <utility>

#include "adapters/codecs/json_blocks.h"

namespace hub::codecs {

AlertPaths AgencyJsonPaths(const AgencyJsonKeys& keys) {
  const std::string outcome = std::string("/") + keys.outcome_block + "/";
  return AlertPaths{
      .kind = "/kind",
      .category = std::string("/") + keys.category,
      .urgency = "/urgency",
      .purpose = "/purpose",
      .in_reply_to = "/in_reply_to",
      .outcome_code = outcome + keys.outcome_code,
      .outcome_detail = outcome + "detail",
      .crime_reference = outcome + "crime_reference",
      .summary = "",
      .request = "/request",
      .practitioner_name = "",
      .nhs_number = "/person/nhs_number",
      .family_name = "/person/family_name",
      .date_of_birth = "/person/date_of_birth",
      .postcode = "/person/postcode",
      .art6 = "/lawful_basis/art6",
      .art9 = "/lawful_basis/art9",
      .consent = ConsentPathsUnder("/consent"),
  };
}

void ReadAlertFieldsJson(JsonObjectReader& root, const AgencyJsonKeys& keys, InboundAlert* a) {
  sghub::v1::AlertBody& body = a->body;
  Assign(root.Enum<sghub::v1::AlertKind>("kind"), [a](sghub::v1::AlertKind v) { a->kind = v; });
  Assign(root.Enum<sghub::v1::Category>(keys.category),
         [a](sghub::v1::Category v) { a->category = v; });
  Assign(root.Enum<sghub::v1::Urgency>("urgency"), [a](sghub::v1::Urgency v) { a->urgency = v; });
  Assign(root.Enum<sghub::v1::Purpose>("purpose"), [a](sghub::v1::Purpose v) { a->purpose = v; });
  a->recipients = root.StringArray("recipients");
  Assign(root.MessageIdHex("in_reply_to"), [a](const std::string& v) { a->in_reply_to_hex = v; });
  if (std::optional<int64_t> minutes = root.Int("expires_in_minutes")) {
    if (std::optional<int64_t> ms = ExpiresInMsFromMinutes(*minutes)) {
      a->expires_in_ms = *ms;
    } else {
      root.Error("expires_in_minutes", std::string(kExpiresInMinutesRange));
    }
  }
  Assign(root.String(keys.source_system),
         [&body](const std::string& v) { body.set_source_system(v); });
  Assign(root.String(keys.source_reference),
         [&body](const std::string& v) { body.set_source_reference(v); });
}

void ReadConsentAndBasisJson(JsonObjectReader& root, InboundAlert* a) {
  std::string narrative;
  ReadConsentJson(root.Object("consent"), &a->consent, &narrative);
  a->body.set_consent_narrative(narrative);
  ReadLawfulBasisJson(root.Object("lawful_basis"), &a->lawful_basis);
}

sghub::v1::Outcome* ReadOutcomeCodeJson(JsonObjectReader& r, const AgencyJsonKeys& keys,
                                        InboundAlert* a) {
  if (!r.present()) {
    return nullptr;
  }
  sghub::v1::Outcome* o = a->body.mutable_outcome();
  Assign(r.Enum<sghub::v1::OutcomeCode>(keys.outcome_code), [a, o](sghub::v1::OutcomeCode c) {
    a->outcome_code = c;
    o->set_code(c);
  });
  return o;
}

void ReadRisksAndContactsJson(JsonObjectReader& root, sghub::v1::AlertBody* body) {
  for (JsonObjectReader& r : root.ObjectArray("risks")) {
    ReadRiskJson(std::move(r), body->add_risks());
  }
  for (JsonObjectReader& r : root.ObjectArray("contacts")) {
    ReadContactJson(std::move(r), body->add_contacts());
  }
}

void FinishReadingRootJson(JsonObjectReader& root, std::string_view document_noun,
                           InboundAlert* a) {
  sghub::v1::AlertBody& body = a->body;
  Assign(root.String("request"), [&body](const std::string& v) { body.set_request(v); });
  // The keys SharedAlertJson writes about the delivery, not the alert: accepted and ignored
  // so an agency can send a received document back edited.
  root.Ignore({"message_id", "sender", "created_at", "expires_at"});
  root.RejectUnknownKeys();

  if (!root.Has("person")) {
    AddErrorOnce(root.errors(), "/person",
                 "required: who the " + std::string(document_noun) + " is about");
  }
  if (!root.Has("consent")) {
    AddErrorOnce(root.errors(), "/consent/state", "required: the person's consent position");
  }
}

nlohmann::json SharedAlertJson(const DeliveredAlert& alert, const AgencyJsonKeys& keys) {
  const sghub::v1::Header& h = alert.header;
  const sghub::v1::AlertBody& b = alert.body;
  nlohmann::json j = nlohmann::json::object();
  PutString(j, "message_id", HexOf(h.message_id()));
  PutString(j, "sender", h.sender());
  PutTimestamp(j, "created_at", h.created_at_ms());
  PutTimestamp(j, "expires_at", h.expires_at_ms());
  PutEnum(j, "kind", h.kind());
  PutEnum(j, keys.category, h.category());
  PutEnum(j, "urgency", h.urgency());
  PutEnum(j, "purpose", h.purpose());
  PutStrings(j, "recipients", h.recipients());
  PutString(j, "in_reply_to", HexOf(h.in_reply_to()));
  PutString(j, keys.source_system, b.source_system());
  PutString(j, keys.source_reference, b.source_reference());

  j["person"] = PersonJson(b.person());
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
    PutEnum(out, keys.outcome_code,
            h.outcome_code() != sghub::v1::OUTCOME_CODE_UNSPECIFIED ? h.outcome_code() : o.code());
    PutString(out, "detail", o.detail());
    PutString(out, "case_reference", o.case_reference());
    PutString(out, "crime_reference", o.crime_reference());
    PutString(out, "recorded_by", o.recorded_by());
    j[keys.outcome_block] = std::move(out);
  }
  PutString(j, "request", b.request());
  return j;
}

}  // namespace hub::codecs
