// FhirR4Codec::Decode: a FHIR R4 Bundle to an InboundAlert. See fhir_r4_codec.h and
// docs/adapters/nhs_mh.md for the mapping; every rule that refuses a bundle is listed there.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "adapters/codecs/alert_checks.h"
#include "adapters/codecs/enum_names.h"
#include "adapters/codecs/fhir_bundle.h"
#include "adapters/codecs/fhir_r4_codec.h"
#include "adapters/codecs/json_document.h"
#include "adapters/codecs/json_object_reader.h"
#include "hub/wire/subject_ref.h"
#include "adapters/codecs/time_format.h"

namespace hub::codecs {
namespace {

using nlohmann::json;

constexpr std::string_view kNhsNumberSystem = "https://fhir.nhs.uk/Id/nhs-number";

// Decoding state shared by the steps below.
struct Ctx {
  const FhirBundle* bundle = nullptr;
  std::vector<FieldError>* errors = nullptr;
  InboundAlert alert;
  AlertPaths paths;

  void Error(std::string field, std::string reason) const {
    AddErrorOnce(errors, field, std::move(reason));
  }
};

// The single sghub extension `name` on an element; more than one is an error.
std::optional<FhirExtension> OneExtension(const Ctx& ctx, const json* element,
                                          const std::string& path, std::string_view name,
                                          bool relative = false) {
  std::vector<FhirExtension> found = Extensions(element, path, name, relative);
  if (found.empty()) {
    return std::nullopt;
  }
  if (found.size() > 1) {
    ctx.Error(found[1].path, "extension " + std::string(name) + " may appear only once");
  }
  return found[0];
}

// The string in value<Type> of an extension; a missing or mistyped value is an error.
std::optional<std::string> ExtString(const Ctx& ctx, const FhirExtension& e,
                                     std::string_view value_key) {
  const json* v = Member(e.json, value_key);
  if (v == nullptr || !v->is_string() || v->get_ref<const std::string&>().empty()) {
    ctx.Error(e.path + "/" + std::string(value_key), "required: a non-empty string");
    return std::nullopt;
  }
  return v->get<std::string>();
}

std::optional<bool> ExtBool(const Ctx& ctx, const FhirExtension& e) {
  const json* v = Member(e.json, "valueBoolean");
  if (v == nullptr || !v->is_boolean()) {
    ctx.Error(e.path + "/valueBoolean", "required: true or false");
    return std::nullopt;
  }
  return v->get<bool>();
}

template <typename E>
std::optional<E> ExtEnum(const Ctx& ctx, const FhirExtension& e) {
  std::optional<std::string> code = ExtString(ctx, e, "valueCode");
  if (!code) {
    return std::nullopt;
  }
  std::optional<E> v = EnumFromName<E>(*code);
  if (!v) {
    ctx.Error(e.path + "/valueCode", JsonObjectReader::UnknownEnumReason<E>(*code));
  }
  return v;
}

// A date-time in valueDateTime (or valueDate) converted to epoch milliseconds.
std::optional<int64_t> ExtTimestamp(const Ctx& ctx, const FhirExtension& e) {
  const char* key = Member(e.json, "valueDate") != nullptr ? "valueDate" : "valueDateTime";
  std::optional<std::string> s = ExtString(ctx, e, key);
  if (!s) {
    return std::nullopt;
  }
  std::optional<int64_t> ms = ParseIsoTimestampMs(*s);
  if (!ms) {
    ctx.Error(e.path + "/" + key, "must be an ISO 8601 date or date-time with zone");
  }
  return ms;
}

// Sub-extension `name` of a complex extension, as a string/enum/bool.
std::optional<std::string> SubString(const Ctx& ctx, const FhirExtension& parent,
                                     std::string_view name,
                                     std::string_view value_key = "valueString") {
  std::optional<FhirExtension> e = OneExtension(ctx, parent.json, parent.path, name, true);
  return e ? ExtString(ctx, *e, value_key) : std::nullopt;
}
std::vector<std::string> SubStrings(const Ctx& ctx, const FhirExtension& parent,
                                    std::string_view name) {
  std::vector<std::string> out;
  for (const FhirExtension& e : Extensions(parent.json, parent.path, name, true)) {
    if (std::optional<std::string> s = ExtString(ctx, e, "valueString")) {
      out.push_back(*s);
    }
  }
  return out;
}
template <typename E>
std::optional<E> SubEnum(const Ctx& ctx, const FhirExtension& parent, std::string_view name) {
  std::optional<FhirExtension> e = OneExtension(ctx, parent.json, parent.path, name, true);
  return e ? ExtEnum<E>(ctx, *e) : std::nullopt;
}
std::optional<bool> SubBool(const Ctx& ctx, const FhirExtension& parent, std::string_view name) {
  std::optional<FhirExtension> e = OneExtension(ctx, parent.json, parent.path, name, true);
  return e ? ExtBool(ctx, *e) : std::nullopt;
}
std::string SubPath(const FhirExtension& parent, std::string_view name) {
  return MissingExtensionPath(parent.path, name);
}

std::string JoinNonEmpty(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (const std::string& p : parts) {
    if (p.empty()) {
      continue;
    }
    if (!out.empty()) {
      out += sep;
    }
    out += p;
  }
  return out;
}

// The string items of the array `key` of `holder` (other items are skipped).
std::vector<std::string> StringItems(const json* holder, std::string_view key) {
  std::vector<std::string> out;
  if (const json* items = Member(holder, key); items != nullptr && items->is_array()) {
    for (const json& item : *items) {
      if (item.is_string()) {
        out.push_back(item.get<std::string>());
      }
    }
  }
  return out;
}

// The entry of the array `key` of `holder` whose "use" is `use`, else its first entry; null
// when the array is absent or empty.
const json* EntryForUse(const json* holder, std::string_view key, std::string_view use) {
  const json* entries = Member(holder, key);
  if (entries == nullptr || !entries->is_array() || entries->empty()) {
    return nullptr;
  }
  for (const json& e : *entries) {
    if (StringAt(&e, "use") == use) {
      return &e;
    }
  }
  return &(*entries)[0];
}

// "Given Family" from a HumanName, or its text.
std::string HumanName(const json* name) {
  std::vector<std::string> parts = StringItems(name, "given");
  parts.push_back(StringAt(name, "family"));
  std::string joined = JoinNonEmpty(parts, " ");
  return joined.empty() ? StringAt(name, "text") : joined;
}

// The ContactPoint value of the given system ("phone", "email") in a telecom array.
std::string Telecom(const json* holder, std::string_view system) {
  const json* telecom = Member(holder, "telecom");
  if (telecom == nullptr || !telecom->is_array()) {
    return "";
  }
  for (const json& t : *telecom) {
    if (StringAt(&t, "system") == system) {
      return StringAt(&t, "value");
    }
  }
  return "";
}

void ReadPatient(Ctx& ctx, const FhirResource& patient) {
  sghub::v1::Person* p = ctx.alert.body.mutable_person();
  const json* pj = patient.json;
  if (const json* ids = Member(pj, "identifier"); ids != nullptr && ids->is_array()) {
    for (size_t i = 0; i < ids->size(); ++i) {
      const json& id = (*ids)[i];
      const std::string value = StringAt(&id, "value");
      const std::string path = patient.path + "/identifier/" + std::to_string(i) + "/value";
      if (StringAt(&id, "system") == kNhsNumberSystem) {
        if (auto nhs = wire::NormaliseNhsNumber(value); nhs.ok()) {
          p->set_nhs_number(*nhs);
        } else {
          ctx.Error(path, "not a valid NHS number: " + nhs.status().message());
        }
      } else if (p->local_id().empty() && !value.empty()) {
        p->set_local_id(value);
      }
    }
  }
  if (const json* name = EntryForUse(pj, "name", "official")) {
    p->set_family_name(StringAt(name, "family"));
    p->set_given_names(JoinNonEmpty(StringItems(name, "given"), " "));
  }
  if (const json* dob = Member(pj, "birthDate")) {
    if (dob->is_string() && IsIsoDate(dob->get_ref<const std::string&>())) {
      p->set_date_of_birth(dob->get<std::string>());
    } else {
      ctx.Error(patient.path + "/birthDate", "must be a full date YYYY-MM-DD");
    }
  }
  p->set_gender(StringAt(pj, "gender"));
  if (const json* chosen = EntryForUse(pj, "address", "home")) {
    std::string text = StringAt(chosen, "text");
    if (text.empty()) {
      std::vector<std::string> parts = StringItems(chosen, "line");
      parts.push_back(StringAt(chosen, "city"));
      text = JoinNonEmpty(parts, ", ");
    }
    p->set_address(text);
    p->set_postcode(StringAt(chosen, "postalCode"));
  }
  if (const json* comms = Member(pj, "communication"); comms != nullptr && comms->is_array()) {
    for (const json& c : *comms) {
      const json* preferred = Member(&c, "preferred");
      if (p->preferred_language().empty() || (preferred != nullptr && preferred->is_boolean() &&
                                              preferred->get<bool>())) {
        p->set_preferred_language(ConceptText(Member(&c, "language")));
      }
    }
  }
  for (const FhirExtension& e : Extensions(pj, patient.path, "sghub-communication-need")) {
    if (std::optional<std::string> need = ExtString(ctx, e, "valueString")) {
      p->add_communication_needs(*need);
    }
  }
  if (const json* contacts = Member(pj, "contact"); contacts != nullptr && contacts->is_array()) {
    for (size_t i = 0; i < contacts->size(); ++i) {
      const json& c = (*contacts)[i];
      const json* rel = Member(&c, "relationship");
      const json* first_rel = rel != nullptr && rel->is_array() && !rel->empty() ? &(*rel)[0]
                                                                                 : nullptr;
      if (ConceptHasCode(first_rel, "ONESELF")) {
        continue;  // the patient's own contact details, not another person
      }
      std::string name = HumanName(Member(&c, "name"));
      if (name.empty()) {
        continue;  // an organisation contact: nobody to name
      }
      sghub::v1::Contact* out = ctx.alert.body.add_contacts();
      out->set_name(name);
      out->set_relationship(ConceptText(first_rel));
      out->set_telephone(Telecom(&c, "phone"));
      out->set_email(Telecom(&c, "email"));
      const std::string cpath = patient.path + "/contact/" + std::to_string(i);
      if (std::optional<FhirExtension> safe =
              OneExtension(ctx, &c, cpath, "sghub-safe-to-contact")) {
        if (std::optional<bool> b = ExtBool(ctx, *safe)) {
          out->set_safe_to_contact(*b);
        }
      }
    }
  }
}

// Practitioner (or PractitionerRole, or Organization) that raised the alert.
void ReadPractitioner(Ctx& ctx, const FhirResource& who) {
  sghub::v1::Practitioner* p = ctx.alert.body.mutable_practitioner();
  const FhirResource* practitioner = nullptr;
  const FhirResource* role = nullptr;
  if (who.type == "Practitioner") {
    practitioner = &who;
    for (const FhirResource* r : ctx.bundle->OfType("PractitionerRole")) {
      if (ctx.bundle->Resolve(Member(r->json, "practitioner")) == &who) {
        role = r;
        break;
      }
    }
  } else if (who.type == "PractitionerRole") {
    role = &who;
    practitioner = ctx.bundle->Resolve(Member(who.json, "practitioner"));
    if (practitioner != nullptr && practitioner->type != "Practitioner") {
      practitioner = nullptr;
    }
  } else if (who.type == "Organization") {
    p->set_organisation(StringAt(who.json, "name"));
    return;
  }
  if (practitioner != nullptr) {
    if (const json* names = Member(practitioner->json, "name");
        names != nullptr && names->is_array() && !names->empty()) {
      p->set_name(HumanName(&(*names)[0]));
    }
    p->set_telephone(Telecom(practitioner->json, "phone"));
    p->set_email(Telecom(practitioner->json, "email"));
  }
  if (role != nullptr) {
    if (const json* codes = Member(role->json, "code");
        codes != nullptr && codes->is_array() && !codes->empty()) {
      p->set_role(ConceptText(&(*codes)[0]));
    }
    const FhirResource* org = ctx.bundle->Resolve(Member(role->json, "organization"));
    if (org != nullptr && org->type == "Organization") {
      p->set_organisation(StringAt(org->json, "name"));
    }
    if (p->telephone().empty()) {
      p->set_telephone(Telecom(role->json, "phone"));
    }
    if (p->email().empty()) {
      p->set_email(Telecom(role->json, "email"));
    }
  }
}

void ReadRiskExtensions(Ctx& ctx, const json* element, const std::string& path) {
  for (const FhirExtension& e : Extensions(element, path, "sghub-risk")) {
    sghub::v1::Risk* r = ctx.alert.body.add_risks();
    if (std::optional<std::string> d = SubString(ctx, e, "description")) {
      r->set_description(*d);
    } else {
      ctx.Error(SubPath(e, "description"), "required for each risk");
    }
    if (std::optional<std::string> v = SubString(ctx, e, "level")) {
      r->set_level(*v);
    }
    if (std::optional<bool> v = SubBool(ctx, e, "othersAtRisk")) {
      r->set_others_at_risk(*v);
    }
    if (std::optional<std::string> v = SubString(ctx, e, "othersDetail")) {
      r->set_others_detail(*v);
    }
  }
}

// The request resource: the alert itself (ServiceRequest or Communication).
void ReadRequest(Ctx& ctx, const FhirResource& req, const FhirResource* sg_flag) {
  InboundAlert& a = ctx.alert;
  const json* rj = req.json;
  const std::string& rp = req.path;

  if (std::optional<FhirExtension> e = OneExtension(ctx, rj, rp, "sghub-alert-kind")) {
    ctx.paths.kind = e->path + "/valueCode";
    if (auto v = ExtEnum<sghub::v1::AlertKind>(ctx, *e)) {
      a.kind = *v;
    }
  } else if (sg_flag != nullptr) {
    a.kind = sghub::v1::ALERT_KIND_CONCERN;
  } else {
    ctx.Error(MissingExtensionPath(rp, "sghub-alert-kind"),
              "required: the bundle has no active Safeguarding Concern (SG) Flag about the "
              "patient, so nothing says it is a safeguarding alert");
  }

  // Category: on the request, else on the SG flag; reported on the flag when there is one.
  std::optional<FhirExtension> cat = OneExtension(ctx, rj, rp, "sghub-category");
  if (!cat && sg_flag != nullptr) {
    cat = OneExtension(ctx, sg_flag->json, sg_flag->path, "sghub-category");
  }
  if (cat) {
    ctx.paths.category = cat->path + "/valueCode";
    if (auto v = ExtEnum<sghub::v1::Category>(ctx, *cat)) {
      a.category = *v;
    }
  } else {
    ctx.paths.category = MissingExtensionPath(sg_flag != nullptr ? sg_flag->path : rp,
                                              "sghub-category");
  }

  ctx.paths.urgency = rp + "/priority";
  if (const json* pr = Member(rj, "priority")) {
    const std::string v = pr->is_string() ? pr->get<std::string>() : "";
    if (v == "routine") {
      a.urgency = sghub::v1::URGENCY_ROUTINE;
    } else if (v == "urgent") {
      a.urgency = sghub::v1::URGENCY_URGENT;
    } else if (v == "asap" || v == "stat") {
      a.urgency = sghub::v1::URGENCY_IMMEDIATE;
    } else {
      ctx.Error(ctx.paths.urgency, "must be one of routine|urgent|asap|stat");
    }
  } else {
    ctx.Error(ctx.paths.urgency, "required: how urgent the alert is (routine|urgent|asap|stat)");
  }

  // Every alert the NHS adapter raises is shared to safeguard the person unless it says
  // otherwise; the default is documented in docs/adapters/nhs_mh.md.
  a.purpose = sghub::v1::PURPOSE_SAFEGUARDING;
  if (std::optional<FhirExtension> e = OneExtension(ctx, rj, rp, "sghub-purpose")) {
    ctx.paths.purpose = e->path + "/valueCode";
    a.purpose = sghub::v1::PURPOSE_UNSPECIFIED;
    if (auto v = ExtEnum<sghub::v1::Purpose>(ctx, *e)) {
      a.purpose = *v;
    }
  }

  for (const FhirExtension& e : Extensions(rj, rp, "sghub-recipient")) {
    if (std::optional<std::string> s = ExtString(ctx, e, "valueString")) {
      a.recipients.push_back(*s);
    }
  }
  ctx.paths.in_reply_to = MissingExtensionPath(rp, "sghub-in-reply-to");
  if (std::optional<FhirExtension> e = OneExtension(ctx, rj, rp, "sghub-in-reply-to")) {
    ctx.paths.in_reply_to = e->path + "/valueString";
    if (std::optional<std::string> s = ExtString(ctx, *e, "valueString")) {
      if (std::optional<std::string> id = JsonObjectReader::NormalisedMessageId(*s)) {
        a.in_reply_to_hex = *id;
      } else {
        ctx.Error(ctx.paths.in_reply_to, "must be a message id of 32 hex characters");
      }
    }
  }
  if (std::optional<FhirExtension> e = OneExtension(ctx, rj, rp, "sghub-expires-in-minutes")) {
    const json* v = Member(e->json, "valueInteger");
    std::optional<int64_t> ms;
    if (v != nullptr && v->is_number_integer()) {
      ms = ExpiresInMsFromMinutes(v->get<int64_t>());
    }
    if (ms) {
      a.expires_in_ms = *ms;
    } else {
      ctx.Error(e->path + "/valueInteger", std::string(kExpiresInMinutesRange));
    }
  }

  std::optional<FhirExtension> outcome = OneExtension(ctx, rj, rp, "sghub-outcome");
  const std::string outcome_base =
      outcome ? outcome->path : MissingExtensionPath(rp, "sghub-outcome");
  ctx.paths.outcome_code = outcome ? SubPath(*outcome, "code") : outcome_base;
  ctx.paths.outcome_detail = outcome ? SubPath(*outcome, "detail") : outcome_base;
  ctx.paths.crime_reference = outcome ? SubPath(*outcome, "crimeReference") : outcome_base;
  if (outcome) {
    sghub::v1::Outcome* o = a.body.mutable_outcome();
    if (auto v = SubEnum<sghub::v1::OutcomeCode>(ctx, *outcome, "code")) {
      a.outcome_code = *v;
      o->set_code(*v);
    }
    if (auto v = SubString(ctx, *outcome, "detail")) o->set_detail(*v);
    if (auto v = SubString(ctx, *outcome, "crimeReference")) o->set_crime_reference(*v);
    if (auto v = SubString(ctx, *outcome, "caseReference")) o->set_case_reference(*v);
    if (auto v = SubString(ctx, *outcome, "recordedBy")) o->set_recorded_by(*v);
  }

  std::optional<FhirExtension> lawful = OneExtension(ctx, rj, rp, "sghub-lawful-basis");
  if (lawful) {
    ctx.paths.art6 = SubPath(*lawful, "art6");
    ctx.paths.art9 = SubPath(*lawful, "art9");
    if (auto v = SubEnum<sghub::v1::Art6Basis>(ctx, *lawful, "art6")) a.lawful_basis.set_art6(*v);
    if (auto v = SubEnum<sghub::v1::Art9Condition>(ctx, *lawful, "art9")) {
      a.lawful_basis.set_art9(*v);
    }
  } else {
    ctx.paths.art6 = ctx.paths.art9 = MissingExtensionPath(rp, "sghub-lawful-basis");
    ctx.Error(ctx.paths.art6, "required: the lawful basis (art6: the UK GDPR Article 6 basis; "
                              "art9: the Article 9 / DPA 2018 condition)");
  }

  // What happened: the Communication's payload or the ServiceRequest's notes.
  std::vector<std::string> texts;
  const bool is_comm = req.type == "Communication";
  const json* parts = Member(rj, is_comm ? "payload" : "note");
  if (parts != nullptr && parts->is_array()) {
    for (const json& part : *parts) {
      texts.push_back(StringAt(&part, is_comm ? "contentString" : "text"));
    }
  }
  ctx.paths.summary = rp + (is_comm ? "/payload" : "/note");
  ctx.paths.request = ctx.paths.summary;
  const std::string text = JoinNonEmpty(texts, "\n");
  if (a.kind == sghub::v1::ALERT_KIND_INFO_REQUEST) {
    a.body.set_request(text);
  } else {
    a.body.mutable_incident()->set_summary(text);
  }
  if (const json* ids = Member(rj, "identifier"); ids != nullptr && ids->is_array() &&
                                                   !ids->empty()) {
    a.body.set_source_reference(StringAt(&(*ids)[0], "value"));
  }

  if (std::optional<FhirExtension> e = OneExtension(ctx, rj, rp, "sghub-incident")) {
    sghub::v1::Incident* inc = a.body.mutable_incident();
    if (std::optional<FhirExtension> at = OneExtension(ctx, e->json, e->path, "occurredAt", true)) {
      const char* key = Member(at->json, "valueDate") != nullptr ? "valueDate" : "valueDateTime";
      if (std::optional<std::string> s = ExtString(ctx, *at, key)) {
        if (IsIsoDateOrDateTime(*s)) {
          inc->set_occurred_at(*s);
        } else {
          ctx.Error(at->path + "/" + key, "must be an ISO 8601 date or date-time with zone");
        }
      }
    }
    if (auto v = SubString(ctx, *e, "location")) inc->set_location(*v);
    if (auto v = SubBool(ctx, *e, "hateIncident")) inc->set_hate_incident(*v);
    for (std::string& m : SubStrings(ctx, *e, "hostilityMarker")) {
      inc->add_hostility_markers(std::move(m));
    }
    if (auto v = SubString(ctx, *e, "suspectedOffence")) inc->set_suspected_offence(*v);
    if (auto v = SubString(ctx, *e, "allegedPerpetrator")) inc->set_alleged_perpetrator(*v);
    if (auto v = SubBool(ctx, *e, "perpetratorInPositionOfTrust")) {
      inc->set_perpetrator_in_position_of_trust(*v);
    }
    if (auto v = SubBool(ctx, *e, "coercionOrDuress")) inc->set_coercion_or_duress(*v);
  }
  if (std::optional<FhirExtension> e = OneExtension(ctx, rj, rp, "sghub-voice")) {
    sghub::v1::PersonVoice* v = a.body.mutable_voice();
    if (auto s = SubString(ctx, *e, "ownWords")) v->set_own_words(*s);
    for (std::string& s : SubStrings(ctx, *e, "desiredOutcome")) {
      v->add_desired_outcomes(std::move(s));
    }
    if (auto b = SubBool(ctx, *e, "awareOfReferral")) v->set_aware_of_referral(*b);
    if (auto p = SubEnum<sghub::v1::PersonVoice::PoliceInvolvement>(ctx, *e, "wantsPolice")) {
      v->set_wants_police(*p);
    }
    for (std::string& s : SubStrings(ctx, *e, "trustedPerson")) {
      v->add_trusted_people(std::move(s));
    }
    if (auto s = SubString(ctx, *e, "safeContactTimes")) v->set_safe_contact_times(*s);
  }
  ReadRiskExtensions(ctx, rj, rp);

  const char* who_key = is_comm ? "sender" : "requester";
  ctx.paths.practitioner_name = rp + "/" + who_key;
  if (const json* who = Member(rj, who_key)) {
    const FhirResource* r = ctx.bundle->Resolve(who);
    if (r == nullptr) {
      ctx.Error(ctx.paths.practitioner_name, "reference does not resolve to a resource in the bundle");
    } else {
      ReadPractitioner(ctx, *r);
    }
  }
}

// Maps the Consent resource about the patient. Never guesses: a consent that does not say
// what the person agreed to, with whom, is an error naming the field to fill in.
void ReadConsent(Ctx& ctx, const FhirResource* patient) {
  ConsentPaths& cp = ctx.paths.consent;
  std::vector<const FhirResource*> consents;
  for (const FhirResource* c : ctx.bundle->OfType("Consent")) {
    const FhirResource* about = ctx.bundle->Resolve(Member(c->json, "patient"));
    if (patient != nullptr && about == patient) {
      consents.push_back(c);
    }
  }
  if (consents.empty()) {
    cp.state = "/entry[Consent]";
    ctx.Error(cp.state, "required: a Consent resource about the patient");
    return;
  }
  if (consents.size() > 1) {
    ctx.Error(consents[1]->path, "more than one Consent about the patient: which one applies is "
                                 "ambiguous");
    return;
  }
  const FhirResource& c = *consents[0];
  const json* cj = c.json;
  sghub::v1::Consent& out = ctx.alert.consent;
  const json* provision = Member(cj, "provision");
  const std::string status = StringAt(cj, "status");
  const std::string type = StringAt(provision, "type");

  cp.scope_recipient_kinds = MissingExtensionPath(c.path, "sghub-consent-recipient-kind");
  cp.scope_purposes = MissingExtensionPath(c.path, "sghub-consent-purpose");
  cp.scope_expires_at = c.path + "/provision/period/end";
  cp.not_sought_reason = MissingExtensionPath(c.path, "sghub-not-sought-reason");

  if (std::optional<FhirExtension> e = OneExtension(ctx, cj, c.path, "sghub-consent-state")) {
    cp.state = e->path + "/valueCode";
    if (auto v = ExtEnum<sghub::v1::ConsentState>(ctx, *e)) {
      out.set_state(*v);
    }
  } else if (status == "active" && type == "permit") {
    out.set_state(sghub::v1::CONSENT_STATE_GIVEN);
  } else if (status == "active" && type == "deny") {
    out.set_state(sghub::v1::CONSENT_STATE_REFUSED);
  } else if (status == "inactive") {
    out.set_state(sghub::v1::CONSENT_STATE_WITHDRAWN);
  } else if (status == "active") {
    std::string policy;
    if (const json* rule = Member(cj, "policyRule")) {
      policy = ConceptText(rule);
    }
    cp.state = c.path + "/provision/type";
    ctx.Error(cp.state,
              "required to map this consent: " +
                  (type.empty() ? std::string("there is no provision.type")
                                : "provision.type \"" + JsonObjectReader::Truncated(type) +
                                      "\" is not permit or deny") +
                  (policy.empty() ? std::string()
                                  : ", and policyRule \"" + JsonObjectReader::Truncated(policy) +
                                        "\" does not say what the person agreed to or with whom") +
                  "; add provision.type (permit|deny) or extension sghub-consent-state");
  } else {
    cp.state = c.path + "/status";
    ctx.Error(cp.state, "a consent with status \"" + JsonObjectReader::Truncated(status) +
                            "\" cannot be mapped; add extension sghub-consent-state");
  }

  for (const FhirExtension& e : Extensions(cj, c.path, "sghub-consent-recipient-kind")) {
    if (auto v = ExtEnum<sghub::v1::AgencyKind>(ctx, e)) {
      out.mutable_scope()->add_recipient_kinds(*v);
    }
  }
  for (const FhirExtension& e : Extensions(cj, c.path, "sghub-consent-purpose")) {
    if (auto v = ExtEnum<sghub::v1::Purpose>(ctx, e)) {
      out.mutable_scope()->add_purposes(*v);
    }
  }
  if (const json* end = Member(Member(provision, "period"), "end")) {
    std::optional<int64_t> ms =
        end->is_string() ? ParseIsoTimestampMs(end->get_ref<const std::string&>()) : std::nullopt;
    if (ms) {
      out.mutable_scope()->set_expires_at_ms(*ms);
    } else {
      ctx.Error(cp.scope_expires_at, "must be an ISO 8601 date or date-time with zone");
    }
  }
  if (std::optional<FhirExtension> e = OneExtension(ctx, cj, c.path, "sghub-not-sought-reason")) {
    if (auto v = ExtEnum<sghub::v1::NotSoughtReason>(ctx, *e)) {
      out.set_not_sought_reason(*v);
    }
  }
  std::optional<FhirExtension> cap = OneExtension(ctx, cj, c.path, "sghub-capacity");
  const std::string cap_base = cap ? cap->path : MissingExtensionPath(c.path, "sghub-capacity");
  cp.capacity_assessment_ref = cap ? SubPath(*cap, "assessmentRef") : cap_base;
  cp.capacity_decision_by = cap ? SubPath(*cap, "decisionBy") : cap_base;
  if (cap) {
    if (auto v = SubString(ctx, *cap, "assessmentRef")) out.set_capacity_assessment_ref(*v);
    if (auto v = SubEnum<sghub::v1::CapacityDecisionBy>(ctx, *cap, "decisionBy")) {
      out.set_capacity_decision_by(*v);
    }
  }
  std::optional<FhirExtension> ov = OneExtension(ctx, cj, c.path, "sghub-override");
  const FhirExtension ov_or_missing =
      ov ? *ov : FhirExtension{nullptr, MissingExtensionPath(c.path, "sghub-override")};
  cp.override_basis = SubPath(ov_or_missing, "basis");
  cp.decided_by_name = SubPath(ov_or_missing, "decidedByName");
  cp.decided_by_role = SubPath(ov_or_missing, "decidedByRole");
  cp.decided_by_organisation = SubPath(ov_or_missing, "decidedByOrganisation");
  cp.decided_at = SubPath(ov_or_missing, "decidedAt");
  cp.decision_reason = SubPath(ov_or_missing, "reason");
  cp.advice_sought = SubPath(ov_or_missing, "adviceSought");
  cp.person_told = SubPath(ov_or_missing, "personTold");
  cp.not_told_reason = SubPath(ov_or_missing, "notToldReason");
  if (ov) {
    if (auto v = SubEnum<sghub::v1::OverrideBasis>(ctx, *ov, "basis")) out.set_override_basis(*v);
    sghub::v1::DecisionRecord* d = out.mutable_decision();
    if (auto v = SubString(ctx, *ov, "decidedByName")) d->set_decided_by_name(*v);
    if (auto v = SubString(ctx, *ov, "decidedByRole")) d->set_decided_by_role(*v);
    if (auto v = SubString(ctx, *ov, "decidedByOrganisation")) d->set_decided_by_organisation(*v);
    if (std::optional<FhirExtension> at = OneExtension(ctx, ov->json, ov->path, "decidedAt", true)) {
      if (auto ms = ExtTimestamp(ctx, *at)) d->set_decided_at_ms(*ms);
    }
    if (auto v = SubString(ctx, *ov, "reason")) d->set_reason(*v);
    if (auto v = SubEnum<sghub::v1::AdviceSought>(ctx, *ov, "adviceSought")) d->set_advice_sought(*v);
    if (auto v = SubEnum<sghub::v1::PersonTold>(ctx, *ov, "personTold")) d->set_person_told(*v);
    if (auto v = SubString(ctx, *ov, "notToldReason")) d->set_not_told_reason(*v);
  }
  if (std::optional<FhirExtension> e = OneExtension(ctx, cj, c.path, "sghub-consent-narrative")) {
    if (auto v = ExtString(ctx, *e, "valueString")) ctx.alert.body.set_consent_narrative(*v);
  }
}

bool IsSafeguardingFlag(const json* flag) {
  if (StringAt(flag, "status") != "active") {
    return false;
  }
  const json* cats = Member(flag, "category");
  if (cats == nullptr || !cats->is_array()) {
    return false;
  }
  for (const json& c : *cats) {
    if (ConceptHasCode(&c, "SG")) {
      return true;
    }
  }
  return false;
}

}  // namespace

DecodeResult FhirR4Codec::Decode(std::string_view document) const {
  DecodeResult result;
  std::vector<FieldError>& errors = result.errors;
  std::optional<json> doc = ParseJsonObjectDocument(document, "a FHIR Bundle object", &errors);
  if (!doc) {
    return result;
  }
  if (StringAt(&*doc, "resourceType") != "Bundle") {
    errors.push_back({"/resourceType", "must be \"Bundle\""});
    return result;
  }
  const std::string type = StringAt(&*doc, "type");
  if (type != "message" && type != "collection") {
    errors.push_back({"/type", "must be \"message\" or \"collection\""});
  }
  const json* entries = Member(&*doc, "entry");
  if (entries == nullptr || !entries->is_array() || entries->empty()) {
    errors.push_back({"/entry", "required: the bundle's resources"});
    return result;
  }

  FhirBundle bundle(*doc, &errors);
  Ctx ctx;
  ctx.bundle = &bundle;
  ctx.errors = &errors;

  const FhirResource* header = nullptr;
  if (type == "message") {
    if (bundle.resources().empty() || bundle.resources()[0].type != "MessageHeader" ||
        bundle.resources()[0].path != "/entry/0/resource") {
      ctx.Error("/entry/0/resource", "a message Bundle must start with a MessageHeader");
    } else {
      header = &bundle.resources()[0];
      ctx.alert.body.set_source_system(StringAt(Member(header->json, "source"), "software"));
    }
  }

  // The alert itself: the message's focus, else the only ServiceRequest/Communication.
  const FhirResource* req = nullptr;
  if (header != nullptr) {
    if (const json* focus = Member(header->json, "focus"); focus != nullptr && focus->is_array()) {
      for (const json& f : *focus) {
        const FhirResource* r = bundle.Resolve(&f);
        if (r != nullptr && (r->type == "ServiceRequest" || r->type == "Communication")) {
          req = r;
          break;
        }
      }
    }
  }
  if (req == nullptr) {
    std::vector<const FhirResource*> candidates = bundle.OfType("Communication");
    for (const FhirResource* r : bundle.OfType("ServiceRequest")) {
      candidates.push_back(r);
    }
    if (candidates.size() == 1) {
      req = candidates[0];
    } else {
      ctx.Error("/entry[ServiceRequest|Communication]",
                candidates.empty()
                    ? "required: a ServiceRequest or Communication that is the alert"
                    : "several ServiceRequest/Communication resources and no MessageHeader.focus "
                      "says which is the alert");
      return result;
    }
  }

  // The patient: the request's subject, else the only Patient.
  const FhirResource* patient = nullptr;
  if (const json* subject = Member(req->json, "subject")) {
    patient = bundle.Resolve(subject);
    if (patient == nullptr || patient->type != "Patient") {
      ctx.Error(req->path + "/subject", "must reference a Patient in the bundle");
      patient = nullptr;
    }
  } else if (std::vector<const FhirResource*> ps = bundle.OfType("Patient"); ps.size() == 1) {
    patient = ps[0];
  } else {
    ctx.Error(req->path + "/subject", "required: which Patient the alert is about");
  }

  const std::string person_base = patient != nullptr ? patient->path : req->path + "/subject";
  ctx.paths.nhs_number = person_base + "/identifier";
  ctx.paths.family_name = person_base + "/name/family";
  ctx.paths.date_of_birth = person_base + "/birthDate";
  ctx.paths.postcode = person_base + "/address/postalCode";
  if (patient != nullptr) {
    ReadPatient(ctx, *patient);
  }

  // The Safeguarding Concern flag about this patient, if any.
  const FhirResource* sg_flag = nullptr;
  for (const FhirResource* f : bundle.OfType("Flag")) {
    if (!IsSafeguardingFlag(f->json)) {
      continue;
    }
    const FhirResource* about = bundle.Resolve(Member(f->json, "subject"));
    if (patient == nullptr || about != patient) {
      ctx.Error(f->path + "/subject", "the Safeguarding Concern flag is not about the alert's "
                                      "patient");
      continue;
    }
    if (sg_flag == nullptr) {
      sg_flag = f;
    }
    ReadRiskExtensions(ctx, f->json, f->path);
    if (Extensions(f->json, f->path, "sghub-risk").empty()) {
      std::string what = ConceptText(Member(f->json, "code"));
      if (!what.empty()) {
        ctx.alert.body.add_risks()->set_description(what);
      }
    }
  }

  ctx.paths.kind = MissingExtensionPath(req->path, "sghub-alert-kind");
  ctx.paths.purpose = MissingExtensionPath(req->path, "sghub-purpose");
  ReadRequest(ctx, *req, sg_flag);
  ReadConsent(ctx, patient);
  if (ctx.alert.body.source_reference().empty()) {
    ctx.alert.body.set_source_reference(StringAt(&*doc, "id"));
  }

  FinishDecode(std::move(ctx.alert), ctx.paths, &result);
  return result;
}

}  // namespace hub::codecs
