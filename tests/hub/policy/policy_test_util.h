// Builders shared by the policy tests: a header that every default rule allows, and small
// edits that move it into the situation a test needs.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>

#include "hub/policy/decision.h"
#include "sghub/v1/envelope.pb.h"

namespace hub::policy::testing {

// 2024-05-01T10:00:00Z
inline constexpr int64_t kNowMs = 1714557600000;
inline constexpr int64_t kDayMs = 24LL * 60 * 60 * 1000;

inline std::string SubjectRef(char fill) { return std::string(32, fill); }

// Consent GIVEN for every recipient kind, for safeguarding and crime prevention, expiring in
// 30 days; lawful basis public task + Sch 1 para 18; a targeted-hostility concern.
inline sghub::v1::Header BaseHeader() {
  sghub::v1::Header h;
  h.set_version(1);
  h.set_message_id(std::string(16, '\x01'));
  h.set_sender("nhs-north");
  h.set_kind(sghub::v1::ALERT_KIND_CONCERN);
  h.set_category(sghub::v1::CATEGORY_TARGETED_HOSTILITY);
  h.set_urgency(sghub::v1::URGENCY_URGENT);
  h.set_purpose(sghub::v1::PURPOSE_SAFEGUARDING);
  h.set_created_at_ms(kNowMs - 1000);
  h.set_expires_at_ms(kNowMs + kDayMs);
  h.add_subject_refs(SubjectRef('A'));
  auto* consent = h.mutable_consent();
  consent->set_state(sghub::v1::CONSENT_STATE_GIVEN);
  auto* scope = consent->mutable_scope();
  scope->add_recipient_kinds(sghub::v1::AGENCY_KIND_NHS_MH);
  scope->add_recipient_kinds(sghub::v1::AGENCY_KIND_COUNCIL);
  scope->add_recipient_kinds(sghub::v1::AGENCY_KIND_POLICE);
  scope->add_purposes(sghub::v1::PURPOSE_SAFEGUARDING);
  scope->add_purposes(sghub::v1::PURPOSE_CRIME_PREVENTION);
  scope->set_expires_at_ms(kNowMs + 30 * kDayMs);
  h.mutable_lawful_basis()->set_art6(sghub::v1::ART6_BASIS_PUBLIC_TASK);
  h.mutable_lawful_basis()->set_art9(sghub::v1::ART9_CONDITION_SCH1_PARA18_SAFEGUARDING);
  return h;
}

inline sghub::v1::DecisionRecord FullRecord(int64_t decided_at_ms = kNowMs - 60000) {
  sghub::v1::DecisionRecord r;
  r.set_decided_by_name("A. Practitioner");
  r.set_decided_by_role("Safeguarding lead");
  r.set_decided_by_organisation("North Trust");
  r.set_decided_at_ms(decided_at_ms);
  r.set_reason("Serious risk of further targeted harm; sharing is necessary and proportionate.");
  r.set_advice_sought(sghub::v1::ADVICE_SOUGHT_CALDICOTT_GUARDIAN);
  r.set_person_told(sghub::v1::PERSON_TOLD_AFTER);
  return r;
}

// Sets a non-GIVEN consent state with an override basis and a complete decision record.
inline void SetOverride(sghub::v1::Header& h, sghub::v1::ConsentState state,
                        sghub::v1::OverrideBasis basis) {
  auto* consent = h.mutable_consent();
  consent->set_state(state);
  consent->clear_scope();
  consent->set_override_basis(basis);
  *consent->mutable_decision() = FullRecord();
  if (state == sghub::v1::CONSENT_STATE_NOT_SOUGHT) {
    consent->set_not_sought_reason(sghub::v1::NOT_SOUGHT_REASON_WOULD_INCREASE_RISK);
  }
  if (state == sghub::v1::CONSENT_STATE_LACKS_CAPACITY) {
    consent->set_capacity_assessment_ref("MCA-2024-0113");
    consent->set_capacity_decision_by(sghub::v1::CAPACITY_DECISION_BY_BEST_INTERESTS);
  }
}

inline RecipientInfo Recipient(sghub::v1::AgencyKind kind) {
  switch (kind) {
    case sghub::v1::AGENCY_KIND_NHS_MH:
      return {"nhs-south", kind, false};
    case sghub::v1::AGENCY_KIND_COUNCIL:
      return {"council-a", kind, false};
    case sghub::v1::AGENCY_KIND_POLICE:
      return {"police-x", kind, false};
    default:
      return {"mystery-1", kind, false};
  }
}

}  // namespace hub::policy::testing
