// Table-driven tests of the default policy (DESIGN.md section 3) and its tightenings. Every
// row names the rule id the decision must cite, so a row fails when the wrong rule decides
// even if the verdict happens to match.
#include "hub/policy/policy_engine.h"

#include <gtest/gtest.h>

#include <cctype>
#include <functional>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include "hub/policy/names.h"
#include "hub/policy/rules.h"
#include "tests/hub/policy/policy_test_util.h"

namespace hub::policy {
namespace {

using namespace hub::policy::testing;  // NOLINT(google-build-using-namespace)
using sghub::v1::AgencyKind;
using sghub::v1::Header;
using sghub::v1::OverrideBasis;
using sghub::v1::ReasonCode;

constexpr AgencyKind kNhs = sghub::v1::AGENCY_KIND_NHS_MH;
constexpr AgencyKind kCouncil = sghub::v1::AGENCY_KIND_COUNCIL;
constexpr AgencyKind kPolice = sghub::v1::AGENCY_KIND_POLICE;

struct Expect {
  Verdict verdict = Verdict::kRefuse;
  ReasonCode code = sghub::v1::REASON_CODE_UNSPECIFIED;
  bool consent_based = false;
  OverrideBasis basis = sghub::v1::OVERRIDE_BASIS_UNSPECIFIED;
  std::string contains;  // the explanation must contain this ("" for no check)
};

Expect AllowConsent() {
  return {Verdict::kAllow, sghub::v1::REASON_CODE_UNSPECIFIED, true, {}, ""};
}
Expect AllowOverride(OverrideBasis basis) {
  return {Verdict::kAllow, sghub::v1::REASON_CODE_UNSPECIFIED, false, basis, ""};
}
Expect AllowNoBasis() {
  return {Verdict::kAllow, sghub::v1::REASON_CODE_UNSPECIFIED, false, {}, ""};
}
Expect Refuse(ReasonCode code, std::string contains = "") {
  return {Verdict::kRefuse, code, false, {}, std::move(contains)};
}

using Setup = std::function<void(Header&, SubjectConsentHistory&, PolicyConfig&, RecipientInfo&)>;

struct Case {
  std::string rule;         // the rule id the decision must cite
  std::string description;  // what the row exercises
  AgencyKind kind;          // the recipient's kind
  Setup setup;
  Expect expect;
};

// Rows print as their rule and description in test output, not as bytes.
void PrintTo(const Case& row, std::ostream* os) { *os << row.rule << ": " << row.description; }

void NoChange(Header&, SubjectConsentHistory&, PolicyConfig&, RecipientInfo&) {}

// Setup that only edits the header.
Setup H(std::function<void(Header&)> edit) {
  return [edit](Header& h, SubjectConsentHistory&, PolicyConfig&, RecipientInfo&) { edit(h); };
}

void RecordConsent(SubjectConsentHistory& history, char ref, sghub::v1::ConsentState state,
                   int64_t at_ms) {
  ConsentRecord record;
  record.state = state;
  record.recorded_at_ms = at_ms;
  history.Record(SubjectRef(ref), record);
}

void ClearDecisionField(Header& h, const std::string& field) {
  SetOverride(h, sghub::v1::CONSENT_STATE_REFUSED, sghub::v1::OVERRIDE_BASIS_RISK_TO_OTHERS);
  auto* d = h.mutable_consent()->mutable_decision();
  if (field == "decided_by_name") d->clear_decided_by_name();
  if (field == "decided_by_role") d->clear_decided_by_role();
  if (field == "decided_by_organisation") d->clear_decided_by_organisation();
  if (field == "decided_at_ms") d->clear_decided_at_ms();
  if (field == "reason") d->clear_reason();
  if (field == "advice_sought") d->clear_advice_sought();
  if (field == "person_told") d->clear_person_told();
  if (field == "not_told_reason") d->set_person_told(sghub::v1::PERSON_TOLD_NOT_TOLD);
}

std::vector<Case> Cases() {
  using namespace hub::policy::rules;  // NOLINT(google-build-using-namespace)
  std::vector<Case> c;
  auto add = [&c](std::string_view rule, std::string description, AgencyKind kind, Setup setup,
                  Expect expect) {
    c.push_back(
        {std::string(rule), std::move(description), kind, std::move(setup), std::move(expect)});
  };

  // --- Rule 1: consent given, in and out of scope.
  add(kConsentInScope, "given in scope reaches nhs_mh", kNhs, NoChange, AllowConsent());
  add(kConsentInScope, "given in scope reaches council", kCouncil, NoChange, AllowConsent());
  add(kConsentInScope, "given in scope reaches police", kPolice, NoChange, AllowConsent());
  add(kConsentScopeKind, "consent for council only does not reach police", kPolice,
      H([](Header& h) {
        h.mutable_consent()->mutable_scope()->clear_recipient_kinds();
        h.mutable_consent()->mutable_scope()->add_recipient_kinds(kCouncil);
      }),
      Refuse(sghub::v1::REASON_CODE_CONSENT_NOT_IN_SCOPE, "not with police"));
  add(kConsentScopeKind, "consent naming no recipient kinds covers nobody", kNhs,
      H([](Header& h) { h.mutable_consent()->mutable_scope()->clear_recipient_kinds(); }),
      Refuse(sghub::v1::REASON_CODE_CONSENT_NOT_IN_SCOPE, "no recipient kinds"));
  add(kConsentScopePurpose, "consent for health care does not cover safeguarding", kCouncil,
      H([](Header& h) {
        h.mutable_consent()->mutable_scope()->clear_purposes();
        h.mutable_consent()->mutable_scope()->add_purposes(sghub::v1::PURPOSE_HEALTH_CARE);
      }),
      Refuse(sghub::v1::REASON_CODE_CONSENT_NOT_IN_SCOPE, "not for safeguarding"));
  add(kConsentScopePurpose, "consent for safeguarding does not cover a statutory review", kCouncil,
      H([](Header& h) { h.set_purpose(sghub::v1::PURPOSE_STATUTORY_REVIEW); }),
      Refuse(sghub::v1::REASON_CODE_CONSENT_NOT_IN_SCOPE, "statutory_review"));
  add(kConsentExpiryRecorded, "consent with no expiry recorded is not relied on", kNhs,
      H([](Header& h) { h.mutable_consent()->mutable_scope()->set_expires_at_ms(0); }),
      Refuse(sghub::v1::REASON_CODE_CONSENT_NOT_IN_SCOPE, "no expiry"));
  add(kConsentExpired, "consent that expired a millisecond ago is refused", kCouncil,
      H([](Header& h) { h.mutable_consent()->mutable_scope()->set_expires_at_ms(kNowMs - 1); }),
      Refuse(sghub::v1::REASON_CODE_CONSENT_EXPIRED, "expired at 2024-05-01T09:59:59Z"));
  add(kConsentExpired, "consent expiring exactly now is expired", kPolice,
      H([](Header& h) { h.mutable_consent()->mutable_scope()->set_expires_at_ms(kNowMs); }),
      Refuse(sghub::v1::REASON_CODE_CONSENT_EXPIRED));
  add(kConsentInScope, "consent expiring a millisecond from now still counts", kNhs,
      H([](Header& h) { h.mutable_consent()->mutable_scope()->set_expires_at_ms(kNowMs + 1); }),
      AllowConsent());
  add(kOverrideWithRecord, "out-of-scope consent plus an override reaches council", kCouncil,
      H([](Header& h) {
        h.mutable_consent()->mutable_scope()->clear_recipient_kinds();
        h.mutable_consent()->set_override_basis(sghub::v1::OVERRIDE_BASIS_RISK_TO_OTHERS);
        *h.mutable_consent()->mutable_decision() = FullRecord();
      }),
      AllowOverride(sghub::v1::OVERRIDE_BASIS_RISK_TO_OTHERS));
  add(kPoliceOverrideBasis, "expired consent plus serious_crime reaches police", kPolice,
      H([](Header& h) {
        h.mutable_consent()->mutable_scope()->set_expires_at_ms(kNowMs - kDayMs);
        h.mutable_consent()->set_override_basis(sghub::v1::OVERRIDE_BASIS_SERIOUS_CRIME);
        *h.mutable_consent()->mutable_decision() = FullRecord();
      }),
      AllowOverride(sghub::v1::OVERRIDE_BASIS_SERIOUS_CRIME));
  add(kConsentInScope, "consent in scope wins over an unused override without a record", kNhs,
      H([](Header& h) {
        h.mutable_consent()->set_override_basis(sghub::v1::OVERRIDE_BASIS_VITAL_INTERESTS);
      }),
      AllowConsent());

  // --- Every consent state without an override.
  add(kNoConsentNoOverride, "refused without override", kCouncil, H([](Header& h) {
        SetOverride(h, sghub::v1::CONSENT_STATE_REFUSED, sghub::v1::OVERRIDE_BASIS_UNSPECIFIED);
      }),
      Refuse(sghub::v1::REASON_CODE_CONSENT_REFUSED_NO_OVERRIDE, "no override basis"));
  add(kNoConsentNoOverride, "police refusal sentence lists the allowed bases", kPolice,
      H([](Header& h) {
        SetOverride(h, sghub::v1::CONSENT_STATE_REFUSED, sghub::v1::OVERRIDE_BASIS_UNSPECIFIED);
      }),
      Refuse(sghub::v1::REASON_CODE_CONSENT_REFUSED_NO_OVERRIDE,
             "vital_interests, risk_to_others, serious_crime, court_order or "
             "crime_disorder_s115"));
  add(kNoConsentNoOverride, "withdrawn without override", kNhs, H([](Header& h) {
        SetOverride(h, sghub::v1::CONSENT_STATE_WITHDRAWN, sghub::v1::OVERRIDE_BASIS_UNSPECIFIED);
      }),
      Refuse(sghub::v1::REASON_CODE_CONSENT_WITHDRAWN, "withdrew consent"));
  add(kNoConsentNoOverride, "not sought (with reason) without override", kCouncil, H([](Header& h) {
        SetOverride(h, sghub::v1::CONSENT_STATE_NOT_SOUGHT, sghub::v1::OVERRIDE_BASIS_UNSPECIFIED);
      }),
      Refuse(sghub::v1::REASON_CODE_CONSENT_REFUSED_NO_OVERRIDE, "would increase the risk"));
  add(kNoConsentNoOverride, "lacks capacity (with evidence) without override", kCouncil,
      H([](Header& h) {
        SetOverride(h, sghub::v1::CONSENT_STATE_LACKS_CAPACITY,
                    sghub::v1::OVERRIDE_BASIS_UNSPECIFIED);
      }),
      Refuse(sghub::v1::REASON_CODE_CONSENT_REFUSED_NO_OVERRIDE, "lacks_capacity_best_interests"));
  add(kConsentStatePresent, "unspecified consent state is refused", kNhs,
      H([](Header& h) { h.mutable_consent()->set_state(sghub::v1::CONSENT_STATE_UNSPECIFIED); }),
      Refuse(sghub::v1::REASON_CODE_MISSING_FIELD, "consent.state"));

  // --- Not sought.
  add(kNotSoughtReason, "not sought without a reason is refused even with an override", kCouncil,
      H([](Header& h) {
        SetOverride(h, sghub::v1::CONSENT_STATE_NOT_SOUGHT,
                    sghub::v1::OVERRIDE_BASIS_VITAL_INTERESTS);
        h.mutable_consent()->clear_not_sought_reason();
      }),
      Refuse(sghub::v1::REASON_CODE_NOT_SOUGHT_REASON_MISSING, "not_sought_reason"));
  add(kOverrideWithRecord, "not sought (would increase risk) plus vital_interests", kCouncil,
      H([](Header& h) {
        SetOverride(h, sghub::v1::CONSENT_STATE_NOT_SOUGHT,
                    sghub::v1::OVERRIDE_BASIS_VITAL_INTERESTS);
      }),
      AllowOverride(sghub::v1::OVERRIDE_BASIS_VITAL_INTERESTS));
  add(kPoliceOverrideBasis, "not sought (could not be reached) plus risk_to_others", kPolice,
      H([](Header& h) {
        SetOverride(h, sghub::v1::CONSENT_STATE_NOT_SOUGHT,
                    sghub::v1::OVERRIDE_BASIS_RISK_TO_OTHERS);
        h.mutable_consent()->set_not_sought_reason(
            sghub::v1::NOT_SOUGHT_REASON_COULD_NOT_BE_REACHED);
      }),
      AllowOverride(sghub::v1::OVERRIDE_BASIS_RISK_TO_OTHERS));

  // --- Every override basis for every recipient kind (consent refused, full record).
  for (int b = sghub::v1::OverrideBasis_MIN + 1; b <= sghub::v1::OverrideBasis_MAX; ++b) {
    auto basis = static_cast<OverrideBasis>(b);
    for (AgencyKind kind : {kNhs, kCouncil, kPolice}) {
      auto state = basis == sghub::v1::OVERRIDE_BASIS_LACKS_CAPACITY_BEST_INTERESTS
                       ? sghub::v1::CONSENT_STATE_LACKS_CAPACITY
                       : sghub::v1::CONSENT_STATE_REFUSED;
      // s45 is the SAB-request basis: exercise it on the request itself.
      auto alert_kind = basis == sghub::v1::OVERRIDE_BASIS_SAB_REQUEST_S45
                            ? sghub::v1::ALERT_KIND_INFO_REQUEST
                            : sghub::v1::ALERT_KIND_CONCERN;
      Setup setup = H([state, basis, alert_kind](Header& h) {
        h.set_kind(alert_kind);
        SetOverride(h, state, basis);
      });
      std::string description =
          OverrideBasisName(basis) + " with a full record, to " + AgencyKindName(kind);
      bool police = kind == kPolice;
      bool police_ok = basis == sghub::v1::OVERRIDE_BASIS_VITAL_INTERESTS ||
                       basis == sghub::v1::OVERRIDE_BASIS_RISK_TO_OTHERS ||
                       basis == sghub::v1::OVERRIDE_BASIS_SERIOUS_CRIME ||
                       basis == sghub::v1::OVERRIDE_BASIS_COURT_ORDER ||
                       basis == sghub::v1::OVERRIDE_BASIS_CRIME_DISORDER_S115;
      if (!police) {
        add(kOverrideWithRecord, description, kind, setup, AllowOverride(basis));
      } else if (police_ok) {
        add(kPoliceOverrideBasis, description, kind, setup, AllowOverride(basis));
      } else {
        add(kPoliceOverrideBasis, description + " is not allowed", kind, setup,
            Refuse(sghub::v1::REASON_CODE_OVERRIDE_NOT_ALLOWED_FOR_RECIPIENT,
                   "police can receive this only with consent in scope or under "
                   "vital_interests"));
      }
    }
  }

  // --- Rule 5: each missing decision-record field.
  for (const char* field :
       {"decided_by_name", "decided_by_role", "decided_by_organisation", "decided_at_ms", "reason",
        "advice_sought", "person_told", "not_told_reason"}) {
    std::string f = field;
    add(kDecisionRecordComplete, "decision record without " + f, kCouncil,
        H([f](Header& h) { ClearDecisionField(h, f); }),
        Refuse(sghub::v1::REASON_CODE_DECISION_RECORD_INCOMPLETE, "consent.decision." + f));
  }
  add(kDecisionRecordComplete, "override with no decision record at all", kPolice, H([](Header& h) {
        SetOverride(h, sghub::v1::CONSENT_STATE_REFUSED, sghub::v1::OVERRIDE_BASIS_VITAL_INTERESTS);
        h.mutable_consent()->clear_decision();
      }),
      Refuse(sghub::v1::REASON_CODE_DECISION_RECORD_INCOMPLETE, "without a decision record"));
  add(kDecisionRecordComplete, "a blank decided_by_name counts as missing", kNhs, H([](Header& h) {
        ClearDecisionField(h, "");
        h.mutable_consent()->mutable_decision()->set_decided_by_name("   ");
      }),
      Refuse(sghub::v1::REASON_CODE_DECISION_RECORD_INCOMPLETE, "decided_by_name"));
  add(kDecisionRecordComplete, "several missing fields are all named", kNhs, H([](Header& h) {
        ClearDecisionField(h, "reason");
        h.mutable_consent()->mutable_decision()->clear_person_told();
      }),
      Refuse(sghub::v1::REASON_CODE_DECISION_RECORD_INCOMPLETE,
             "consent.decision.reason, consent.decision.person_told"));
  add(kOverrideWithRecord, "not told with a reason is complete", kCouncil, H([](Header& h) {
        ClearDecisionField(h, "not_told_reason");
        h.mutable_consent()->mutable_decision()->set_not_told_reason(
            "Telling them would alert the perpetrator.");
      }),
      AllowOverride(sghub::v1::OVERRIDE_BASIS_RISK_TO_OTHERS));
  add(kOverrideWithRecord, "advice explicitly recorded as none is complete", kCouncil,
      H([](Header& h) {
        ClearDecisionField(h, "");
        h.mutable_consent()->mutable_decision()->set_advice_sought(sghub::v1::ADVICE_SOUGHT_NONE);
      }),
      AllowOverride(sghub::v1::OVERRIDE_BASIS_RISK_TO_OTHERS));

  // --- Rule 3: capacity.
  add(kCapacityEvidence, "lacks capacity without the assessment reference", kCouncil,
      H([](Header& h) {
        SetOverride(h, sghub::v1::CONSENT_STATE_LACKS_CAPACITY,
                    sghub::v1::OVERRIDE_BASIS_LACKS_CAPACITY_BEST_INTERESTS);
        h.mutable_consent()->clear_capacity_assessment_ref();
      }),
      Refuse(sghub::v1::REASON_CODE_CAPACITY_EVIDENCE_MISSING, "capacity_assessment_ref"));
  add(kCapacityEvidence, "lacks capacity without who decided", kNhs, H([](Header& h) {
        SetOverride(h, sghub::v1::CONSENT_STATE_LACKS_CAPACITY,
                    sghub::v1::OVERRIDE_BASIS_LACKS_CAPACITY_BEST_INTERESTS);
        h.mutable_consent()->clear_capacity_decision_by();
      }),
      Refuse(sghub::v1::REASON_CODE_CAPACITY_EVIDENCE_MISSING, "capacity_decision_by"));
  add(kCapacityEvidence, "lacks capacity with neither piece of evidence", kPolice, H([](Header& h) {
        SetOverride(h, sghub::v1::CONSENT_STATE_LACKS_CAPACITY,
                    sghub::v1::OVERRIDE_BASIS_VITAL_INTERESTS);
        h.mutable_consent()->clear_capacity_decision_by();
        h.mutable_consent()->set_capacity_assessment_ref(" ");
      }),
      Refuse(sghub::v1::REASON_CODE_CAPACITY_EVIDENCE_MISSING, "are missing"));
  add(kPoliceOverrideBasis, "lacks capacity (LPA decided) plus vital_interests to police", kPolice,
      H([](Header& h) {
        SetOverride(h, sghub::v1::CONSENT_STATE_LACKS_CAPACITY,
                    sghub::v1::OVERRIDE_BASIS_VITAL_INTERESTS);
        h.mutable_consent()->set_capacity_decision_by(sghub::v1::CAPACITY_DECISION_BY_LPA);
      }),
      AllowOverride(sghub::v1::OVERRIDE_BASIS_VITAL_INTERESTS));
  add(kOverrideWithRecord, "lacks capacity (deputy decided) plus best interests to nhs_mh", kNhs,
      H([](Header& h) {
        SetOverride(h, sghub::v1::CONSENT_STATE_LACKS_CAPACITY,
                    sghub::v1::OVERRIDE_BASIS_LACKS_CAPACITY_BEST_INTERESTS);
        h.mutable_consent()->set_capacity_decision_by(sghub::v1::CAPACITY_DECISION_BY_DEPUTY);
      }),
      AllowOverride(sghub::v1::OVERRIDE_BASIS_LACKS_CAPACITY_BEST_INTERESTS));
  add(kBestInterestsNeedsIncapacity, "best interests basis when the person refused", kCouncil,
      H([](Header& h) {
        SetOverride(h, sghub::v1::CONSENT_STATE_REFUSED,
                    sghub::v1::OVERRIDE_BASIS_LACKS_CAPACITY_BEST_INTERESTS);
      }),
      Refuse(sghub::v1::REASON_CODE_CAPACITY_EVIDENCE_MISSING, "lacking capacity"));

  // --- Lawful basis.
  add(kLawfulBasisPresent, "no Article 6 basis", kCouncil,
      H([](Header& h) { h.mutable_lawful_basis()->clear_art6(); }),
      Refuse(sghub::v1::REASON_CODE_LAWFUL_BASIS_MISSING, "lawful_basis.art6"));
  add(kLawfulBasisPresent, "no Article 9 condition", kNhs,
      H([](Header& h) { h.mutable_lawful_basis()->clear_art9(); }),
      Refuse(sghub::v1::REASON_CODE_LAWFUL_BASIS_MISSING, "lawful_basis.art9"));
  add(kLawfulBasisPresent, "no lawful basis at all, even with a valid override", kPolice,
      H([](Header& h) {
        SetOverride(h, sghub::v1::CONSENT_STATE_REFUSED, sghub::v1::OVERRIDE_BASIS_VITAL_INTERESTS);
        h.clear_lawful_basis();
      }),
      Refuse(sghub::v1::REASON_CODE_LAWFUL_BASIS_MISSING, "art6) and the Article 9"));
  add(kPoliceArt9, "police need a condition that covers disclosure to police", kPolice,
      H([](Header& h) {
        h.mutable_lawful_basis()->set_art9(sghub::v1::ART9_CONDITION_HEALTH_OR_SOCIAL_CARE);
      }),
      Refuse(sghub::v1::REASON_CODE_LAWFUL_BASIS_MISSING, "sch8_para4_safeguarding"));
  add(kConsentInScope, "the law-enforcement condition covers police", kPolice, H([](Header& h) {
        h.mutable_lawful_basis()->set_art9(sghub::v1::ART9_CONDITION_SCH8_PARA4_SAFEGUARDING);
      }),
      AllowConsent());
  add(kPoliceOverrideBasis, "vital interests condition covers police under override", kPolice,
      H([](Header& h) {
        SetOverride(h, sghub::v1::CONSENT_STATE_REFUSED, sghub::v1::OVERRIDE_BASIS_VITAL_INTERESTS);
        h.mutable_lawful_basis()->set_art6(sghub::v1::ART6_BASIS_VITAL_INTERESTS);
        h.mutable_lawful_basis()->set_art9(sghub::v1::ART9_CONDITION_VITAL_INTERESTS);
      }),
      AllowOverride(sghub::v1::OVERRIDE_BASIS_VITAL_INTERESTS));
  add(kConsentInScope, "health or social care condition is fine for council", kCouncil,
      H([](Header& h) {
        h.mutable_lawful_basis()->set_art9(sghub::v1::ART9_CONDITION_HEALTH_OR_SOCIAL_CARE);
      }),
      AllowConsent());
  add(kLawfulBasisNotConsent, "override cannot rest on explicit consent", kCouncil,
      H([](Header& h) {
        SetOverride(h, sghub::v1::CONSENT_STATE_REFUSED, sghub::v1::OVERRIDE_BASIS_RISK_TO_OTHERS);
        h.mutable_lawful_basis()->set_art9(sghub::v1::ART9_CONDITION_EXPLICIT_CONSENT);
      }),
      Refuse(sghub::v1::REASON_CODE_LAWFUL_BASIS_MISSING, "cannot be its lawful basis"));
  add(kLawfulBasisNotConsent, "override cannot rest on Article 6 consent", kPolice,
      H([](Header& h) {
        SetOverride(h, sghub::v1::CONSENT_STATE_REFUSED, sghub::v1::OVERRIDE_BASIS_SERIOUS_CRIME);
        h.mutable_lawful_basis()->set_art6(sghub::v1::ART6_BASIS_CONSENT);
      }),
      Refuse(sghub::v1::REASON_CODE_LAWFUL_BASIS_MISSING));
  add(kConsentInScope, "consent-based sharing may rest on explicit consent", kNhs, H([](Header& h) {
        h.mutable_lawful_basis()->set_art6(sghub::v1::ART6_BASIS_CONSENT);
        h.mutable_lawful_basis()->set_art9(sghub::v1::ART9_CONDITION_EXPLICIT_CONSENT);
      }),
      AllowConsent());

  // --- Rule 4: consent history.
  add(
      kHistoryBlocksConsent, "withdrawal on record blocks a later consent-based alert", kCouncil,
      [](Header&, SubjectConsentHistory& hist, PolicyConfig&, RecipientInfo&) {
        RecordConsent(hist, 'A', sghub::v1::CONSENT_STATE_WITHDRAWN, kNowMs - kDayMs);
      },
      Refuse(sghub::v1::REASON_CODE_CONSENT_WITHDRAWN, "2024-04-30T10:00:00Z"));
  add(
      kHistoryBlocksConsent, "refusal on record blocks a consent-based alert", kNhs,
      [](Header&, SubjectConsentHistory& hist, PolicyConfig&, RecipientInfo&) {
        RecordConsent(hist, 'A', sghub::v1::CONSENT_STATE_REFUSED, kNowMs - kDayMs);
      },
      Refuse(sghub::v1::REASON_CODE_CONSENT_REFUSED_NO_OVERRIDE, "refused consent"));
  add(
      kConsentInScope, "a later GIVEN restores consent-based sharing", kCouncil,
      [](Header&, SubjectConsentHistory& hist, PolicyConfig&, RecipientInfo&) {
        RecordConsent(hist, 'A', sghub::v1::CONSENT_STATE_WITHDRAWN, kNowMs - 2 * kDayMs);
        RecordConsent(hist, 'A', sghub::v1::CONSENT_STATE_GIVEN, kNowMs - kDayMs);
      },
      AllowConsent());
  add(
      kHistoryBlocksConsent,
      "a withdrawal after an earlier GIVEN blocks (order of recording "
      "does not matter)",
      kPolice,
      [](Header&, SubjectConsentHistory& hist, PolicyConfig&, RecipientInfo&) {
        RecordConsent(hist, 'A', sghub::v1::CONSENT_STATE_WITHDRAWN, kNowMs - kDayMs);
        RecordConsent(hist, 'A', sghub::v1::CONSENT_STATE_GIVEN, kNowMs - 2 * kDayMs);
      },
      Refuse(sghub::v1::REASON_CODE_CONSENT_WITHDRAWN));
  add(
      kConsentInScope, "a withdrawal about another subject does not block", kCouncil,
      [](Header&, SubjectConsentHistory& hist, PolicyConfig&, RecipientInfo&) {
        RecordConsent(hist, 'B', sghub::v1::CONSENT_STATE_WITHDRAWN, kNowMs - kDayMs);
      },
      AllowConsent());
  add(
      kConsentInScope, "a withdrawal dated after now is not yet in effect", kCouncil,
      [](Header&, SubjectConsentHistory& hist, PolicyConfig&, RecipientInfo&) {
        RecordConsent(hist, 'A', sghub::v1::CONSENT_STATE_WITHDRAWN, kNowMs + 1);
      },
      AllowConsent());
  add(
      kHistoryBlocksConsent, "withdrawal for any of the header's subjects blocks", kNhs,
      [](Header& h, SubjectConsentHistory& hist, PolicyConfig&, RecipientInfo&) {
        h.add_subject_refs(SubjectRef('C'));
        RecordConsent(hist, 'C', sghub::v1::CONSENT_STATE_WITHDRAWN, kNowMs - kDayMs);
      },
      Refuse(sghub::v1::REASON_CODE_CONSENT_WITHDRAWN));
  add(
      kPoliceOverrideBasis, "withdrawal then override with a fresh record still flows", kPolice,
      [](Header& h, SubjectConsentHistory& hist, PolicyConfig&, RecipientInfo&) {
        RecordConsent(hist, 'A', sghub::v1::CONSENT_STATE_WITHDRAWN, kNowMs - kDayMs);
        h.mutable_consent()->set_override_basis(sghub::v1::OVERRIDE_BASIS_RISK_TO_OTHERS);
        *h.mutable_consent()->mutable_decision() = FullRecord(kNowMs - 60000);
      },
      AllowOverride(sghub::v1::OVERRIDE_BASIS_RISK_TO_OTHERS));
  add(
      kOverrideRecordAfterWithdrawal, "withdrawal then override decided before it", kCouncil,
      [](Header& h, SubjectConsentHistory& hist, PolicyConfig&, RecipientInfo&) {
        RecordConsent(hist, 'A', sghub::v1::CONSENT_STATE_WITHDRAWN, kNowMs - kDayMs);
        SetOverride(h, sghub::v1::CONSENT_STATE_WITHDRAWN,
                    sghub::v1::OVERRIDE_BASIS_RISK_TO_OTHERS);
        h.mutable_consent()->mutable_decision()->set_decided_at_ms(kNowMs - 2 * kDayMs);
      },
      Refuse(sghub::v1::REASON_CODE_DECISION_RECORD_INCOMPLETE, "fresh decision record"));
  add(
      kDecisionRecordComplete, "withdrawal then override with an incomplete record", kNhs,
      [](Header& h, SubjectConsentHistory& hist, PolicyConfig&, RecipientInfo&) {
        RecordConsent(hist, 'A', sghub::v1::CONSENT_STATE_WITHDRAWN, kNowMs - kDayMs);
        ClearDecisionField(h, "reason");
      },
      Refuse(sghub::v1::REASON_CODE_DECISION_RECORD_INCOMPLETE, "consent.decision.reason"));

  // --- Consent changes.
  add(kConsentChangeFlows, "a withdrawal notice reaches police without lawful basis", kPolice,
      H([](Header& h) {
        h.set_kind(sghub::v1::ALERT_KIND_CONSENT_CHANGE);
        h.mutable_consent()->set_state(sghub::v1::CONSENT_STATE_WITHDRAWN);
        h.clear_lawful_basis();
      }),
      AllowNoBasis());
  add(
      kConsentChangeFlows,
      "a consent change to given reaches council despite a withdrawal on "
      "record",
      kCouncil,
      [](Header& h, SubjectConsentHistory& hist, PolicyConfig&, RecipientInfo&) {
        RecordConsent(hist, 'A', sghub::v1::CONSENT_STATE_WITHDRAWN, kNowMs - kDayMs);
        h.set_kind(sghub::v1::ALERT_KIND_CONSENT_CHANGE);
      },
      AllowNoBasis());
  add(kConsentChangeState, "a consent change to not sought is malformed", kNhs, H([](Header& h) {
        h.set_kind(sghub::v1::ALERT_KIND_CONSENT_CHANGE);
        h.mutable_consent()->set_state(sghub::v1::CONSENT_STATE_NOT_SOUGHT);
      }),
      Refuse(sghub::v1::REASON_CODE_INVALID_FIELD, "not_sought"));

  // --- Outcomes and information requests.
  auto refused_outcome = [](Header& h) {
    h.set_kind(sghub::v1::ALERT_KIND_OUTCOME);
    h.set_in_reply_to(std::string(16, '\x07'));
    h.set_outcome_code(sghub::v1::OUTCOME_CODE_S42_ENQUIRY_OPENED);
    SetOverride(h, sghub::v1::CONSENT_STATE_REFUSED, sghub::v1::OVERRIDE_BASIS_UNSPECIFIED);
  };
  add(
      kOutcomeToOriginator, "an outcome goes back to the agency that raised the concern", kPolice,
      [refused_outcome](Header& h, SubjectConsentHistory&, PolicyConfig&, RecipientInfo& r) {
        refused_outcome(h);
        r.originated_in_reply_to = true;
      },
      AllowNoBasis());
  add(
      kNoConsentNoOverride, "an outcome to another agency follows the consent rules", kCouncil,
      [refused_outcome](Header& h, SubjectConsentHistory&, PolicyConfig&, RecipientInfo&) {
        refused_outcome(h);
      },
      Refuse(sghub::v1::REASON_CODE_CONSENT_REFUSED_NO_OVERRIDE));
  add(
      kLawfulBasisPresent, "an outcome to the originator still needs a lawful basis", kNhs,
      [refused_outcome](Header& h, SubjectConsentHistory&, PolicyConfig&, RecipientInfo& r) {
        refused_outcome(h);
        h.mutable_lawful_basis()->clear_art9();
        r.originated_in_reply_to = true;
      },
      Refuse(sghub::v1::REASON_CODE_LAWFUL_BASIS_MISSING));
  add(
      kNoConsentNoOverride, "an outcome without in_reply_to is not a reply", kNhs,
      [refused_outcome](Header& h, SubjectConsentHistory&, PolicyConfig&, RecipientInfo& r) {
        refused_outcome(h);
        h.clear_in_reply_to();
        r.originated_in_reply_to = true;
      },
      Refuse(sghub::v1::REASON_CODE_CONSENT_REFUSED_NO_OVERRIDE));
  add(kS45OnlyForSabRequests, "s45 cannot justify a new concern", kCouncil, H([](Header& h) {
        SetOverride(h, sghub::v1::CONSENT_STATE_REFUSED, sghub::v1::OVERRIDE_BASIS_SAB_REQUEST_S45);
      }),
      Refuse(sghub::v1::REASON_CODE_OVERRIDE_NOT_ALLOWED_FOR_RECIPIENT, "info_request"));
  add(kOverrideWithRecord, "s45 justifies the answer to a SAB request", kCouncil, H([](Header& h) {
        SetOverride(h, sghub::v1::CONSENT_STATE_REFUSED, sghub::v1::OVERRIDE_BASIS_SAB_REQUEST_S45);
        h.set_kind(sghub::v1::ALERT_KIND_OUTCOME);
        h.set_in_reply_to(std::string(16, '\x09'));
        h.set_outcome_code(sghub::v1::OUTCOME_CODE_INFORMATION_PROVIDED);
      }),
      AllowOverride(sghub::v1::OVERRIDE_BASIS_SAB_REQUEST_S45));
  add(kConsentInScope, "an info request with consent in scope", kNhs,
      H([](Header& h) { h.set_kind(sghub::v1::ALERT_KIND_INFO_REQUEST); }), AllowConsent());
  add(kConsentInScope, "an update with consent in scope", kPolice,
      H([](Header& h) { h.set_kind(sghub::v1::ALERT_KIND_UPDATE); }), AllowConsent());

  // --- Header and recipient sanity.
  add(kAlertKindPresent, "no alert kind", kCouncil,
      H([](Header& h) { h.set_kind(sghub::v1::ALERT_KIND_UNSPECIFIED); }),
      Refuse(sghub::v1::REASON_CODE_MISSING_FIELD));
  add(kRecipientKind, "a recipient of unknown kind", sghub::v1::AGENCY_KIND_UNSPECIFIED, NoChange,
      Refuse(sghub::v1::REASON_CODE_UNKNOWN_RECIPIENT, "nhs_mh, council or police"));
  add(kRecipientKind, "the hub itself is not a recipient", sghub::v1::AGENCY_KIND_HUB, NoChange,
      Refuse(sghub::v1::REASON_CODE_UNKNOWN_RECIPIENT));

  // --- Operator tightenings.
  auto police_categories = [](Header& h, SubjectConsentHistory&, PolicyConfig& config,
                              RecipientInfo&) {
    config.kinds[kPolice].allowed_categories = std::set<sghub::v1::Category>{
        sghub::v1::CATEGORY_DISCRIMINATORY, sghub::v1::CATEGORY_MATE_CRIME};
    h.set_category(sghub::v1::CATEGORY_FINANCIAL);
  };
  add(kOpCategoryForKind, "police only for listed categories: financial refused", kPolice,
      police_categories,
      Refuse(sghub::v1::REASON_CODE_POLICY_CATEGORY_NOT_ALLOWED,
             "receives only discriminatory and mate_crime"));
  add(kConsentInScope, "police only for listed categories: council unaffected", kCouncil,
      police_categories, AllowConsent());
  add(
      kPoliceOverrideBasis, "police only for listed categories: mate_crime still flows", kPolice,
      [police_categories](Header& h, SubjectConsentHistory& hist, PolicyConfig& config,
                          RecipientInfo& r) {
        police_categories(h, hist, config, r);
        h.set_category(sghub::v1::CATEGORY_MATE_CRIME);
        SetOverride(h, sghub::v1::CONSENT_STATE_REFUSED, sghub::v1::OVERRIDE_BASIS_SERIOUS_CRIME);
      },
      AllowOverride(sghub::v1::OVERRIDE_BASIS_SERIOUS_CRIME));
  add(
      kOpCategoryForKind, "a denied category for council", kCouncil,
      [](Header& h, SubjectConsentHistory&, PolicyConfig& config, RecipientInfo&) {
        config.kinds[kCouncil].denied_categories = {sghub::v1::CATEGORY_SELF_NEGLECT};
        h.set_category(sghub::v1::CATEGORY_SELF_NEGLECT);
      },
      Refuse(sghub::v1::REASON_CODE_POLICY_CATEGORY_NOT_ALLOWED, "self_neglect"));
  add(
      kOpOverrideBasisForKind, "police bases tightened to vital_interests only", kPolice,
      [](Header& h, SubjectConsentHistory&, PolicyConfig& config, RecipientInfo&) {
        config.kinds[kPolice].allowed_override_bases = {sghub::v1::OVERRIDE_BASIS_VITAL_INTERESTS};
        SetOverride(h, sghub::v1::CONSENT_STATE_REFUSED, sghub::v1::OVERRIDE_BASIS_SERIOUS_CRIME);
      },
      Refuse(sghub::v1::REASON_CODE_OVERRIDE_NOT_ALLOWED_FOR_RECIPIENT, "under the local policy"));
  add(
      kOpAdviceRequired, "advice required: none is not enough", kNhs,
      [](Header& h, SubjectConsentHistory&, PolicyConfig& config, RecipientInfo&) {
        config.require_advice_sought = true;
        ClearDecisionField(h, "");
        h.mutable_consent()->mutable_decision()->set_advice_sought(sghub::v1::ADVICE_SOUGHT_NONE);
      },
      Refuse(sghub::v1::REASON_CODE_DECISION_RECORD_INCOMPLETE, "advice_sought"));
  add(
      kOverrideWithRecord, "advice required: Caldicott Guardian advice suffices", kNhs,
      [](Header& h, SubjectConsentHistory&, PolicyConfig& config, RecipientInfo&) {
        config.require_advice_sought = true;
        ClearDecisionField(h, "");
      },
      AllowOverride(sghub::v1::OVERRIDE_BASIS_RISK_TO_OTHERS));
  return c;
}

class PolicyTableTest : public ::testing::TestWithParam<Case> {};

TEST_P(PolicyTableTest, DecidesAsTheRuleSays) {
  const Case& row = GetParam();
  Header header = BaseHeader();
  SubjectConsentHistory history;
  PolicyConfig config = DefaultPolicy();
  RecipientInfo recipient = Recipient(row.kind);
  row.setup(header, history, config, recipient);
  ASSERT_TRUE(ValidatePolicy(config).ok()) << "the row built an invalid policy";

  PolicyEngine engine(config);
  std::vector<RecipientInfo> recipients = {recipient};
  std::vector<Decision> decisions = engine.Decide(header, recipients, history, kNowMs);
  ASSERT_EQ(decisions.size(), 1u);
  const Decision& d = decisions[0];

  SCOPED_TRACE(row.rule + ": " + row.description + "\n  got: " + d.rule + " " +
               std::string(ReasonCodeName(d.reason_code)) + " — " + d.explanation);
  EXPECT_EQ(d.recipient, recipient.id);
  EXPECT_EQ(d.rule, row.rule);
  EXPECT_EQ(d.verdict, row.expect.verdict);
  EXPECT_EQ(d.reason_code, row.expect.code);
  // Rule 5: every decision, allow or refuse, carries a sentence.
  EXPECT_FALSE(d.explanation.empty());
  if (!row.expect.contains.empty()) {
    EXPECT_NE(d.explanation.find(row.expect.contains), std::string::npos)
        << "explanation lacks \"" << row.expect.contains << "\"";
  }
  if (d.allowed()) {
    EXPECT_EQ(d.consent_based, row.expect.consent_based);
    EXPECT_EQ(d.basis_used, row.expect.basis);
    // The receiver must be shown the person did not consent exactly when an override is used.
    EXPECT_EQ(d.shown_not_consented, row.expect.basis != sghub::v1::OVERRIDE_BASIS_UNSPECIFIED);
  } else {
    EXPECT_NE(d.reason_code, sghub::v1::REASON_CODE_UNSPECIFIED);
    EXPECT_FALSE(d.consent_based);
    EXPECT_FALSE(d.shown_not_consented);
  }
}

std::string RowName(const ::testing::TestParamInfo<Case>& info) {
  std::string name = "c" + std::to_string(1000 + info.index).substr(1) + "_";
  for (char ch : info.param.rule) {
    name.push_back(std::isalnum(static_cast<unsigned char>(ch)) ? ch : '_');
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(DefaultPolicyRules, PolicyTableTest, ::testing::ValuesIn(Cases()),
                         RowName);

TEST(PolicyTableSizeTest, HasAtLeastSixtyCasesCoveringEveryRule) {
  std::vector<Case> cases = Cases();
  EXPECT_GE(cases.size(), 60u);
  std::set<std::string> cited;
  for (const Case& row : cases) {
    cited.insert(row.rule);
  }
  for (std::string_view rule : {rules::kRecipientKind,
                                rules::kAlertKindPresent,
                                rules::kConsentStatePresent,
                                rules::kLawfulBasisPresent,
                                rules::kLawfulBasisNotConsent,
                                rules::kPoliceArt9,
                                rules::kConsentInScope,
                                rules::kConsentScopeKind,
                                rules::kConsentScopePurpose,
                                rules::kConsentExpiryRecorded,
                                rules::kConsentExpired,
                                rules::kNoConsentNoOverride,
                                rules::kNotSoughtReason,
                                rules::kOverrideWithRecord,
                                rules::kPoliceOverrideBasis,
                                rules::kCapacityEvidence,
                                rules::kBestInterestsNeedsIncapacity,
                                rules::kHistoryBlocksConsent,
                                rules::kOverrideRecordAfterWithdrawal,
                                rules::kConsentChangeFlows,
                                rules::kConsentChangeState,
                                rules::kDecisionRecordComplete,
                                rules::kOutcomeToOriginator,
                                rules::kS45OnlyForSabRequests,
                                rules::kOpCategoryForKind,
                                rules::kOpOverrideBasisForKind,
                                rules::kOpAdviceRequired}) {
    EXPECT_EQ(cited.count(std::string(rule)), 1u) << "no case cites " << rule;
  }
}

TEST(PolicyEngineTest, MixedRecipientsGetTheirOwnDecisionsInOrder) {
  Header header = BaseHeader();
  auto* scope = header.mutable_consent()->mutable_scope();
  scope->clear_recipient_kinds();
  scope->add_recipient_kinds(kCouncil);
  std::vector<RecipientInfo> recipients = {Recipient(kPolice), Recipient(kCouncil)};
  PolicyEngine engine(DefaultPolicy());

  std::vector<Decision> d = engine.Decide(header, recipients, {}, kNowMs);

  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].recipient, "police-x");
  EXPECT_FALSE(d[0].allowed());
  EXPECT_EQ(d[0].reason_code, sghub::v1::REASON_CODE_CONSENT_NOT_IN_SCOPE);
  EXPECT_EQ(d[1].recipient, "council-a");
  EXPECT_TRUE(d[1].allowed());
  EXPECT_TRUE(d[1].consent_based);
}

TEST(PolicyEngineTest, MixedRecipientsUnderOneOverrideSplitByKind) {
  Header header = BaseHeader();
  SetOverride(header, sghub::v1::CONSENT_STATE_REFUSED,
              sghub::v1::OVERRIDE_BASIS_COERCION_OR_DURESS);
  std::vector<RecipientInfo> recipients = {Recipient(kNhs), Recipient(kPolice),
                                           Recipient(kCouncil)};
  std::vector<Decision> d = PolicyEngine(DefaultPolicy()).Decide(header, recipients, {}, kNowMs);

  ASSERT_EQ(d.size(), 3u);
  EXPECT_TRUE(d[0].allowed());
  EXPECT_TRUE(d[0].shown_not_consented);
  EXPECT_EQ(d[1].reason_code, sghub::v1::REASON_CODE_OVERRIDE_NOT_ALLOWED_FOR_RECIPIENT);
  EXPECT_EQ(d[1].rule, rules::kPoliceOverrideBasis);
  EXPECT_TRUE(d[2].allowed());
}

TEST(PolicyEngineTest, HeaderProblemRefusesEveryRecipientWithTheSameCode) {
  Header header = BaseHeader();
  header.mutable_lawful_basis()->clear_art6();
  std::vector<RecipientInfo> recipients = {Recipient(kNhs), Recipient(kPolice),
                                           Recipient(kCouncil)};
  std::vector<Decision> d = PolicyEngine(DefaultPolicy()).Decide(header, recipients, {}, kNowMs);

  ASSERT_EQ(d.size(), 3u);
  for (size_t i = 0; i < d.size(); ++i) {
    EXPECT_EQ(d[i].recipient, recipients[i].id);
    EXPECT_EQ(d[i].reason_code, sghub::v1::REASON_CODE_LAWFUL_BASIS_MISSING);
    EXPECT_EQ(d[i].rule, rules::kLawfulBasisPresent);
  }
}

TEST(PolicyEngineTest, NoRecipientsGiveNoDecisions) {
  EXPECT_TRUE(PolicyEngine(DefaultPolicy()).Decide(BaseHeader(), {}, {}, kNowMs).empty());
}

// The consent registry's story over time: withdraw, try again on consent, override, restore.
TEST(PolicyEngineTest, WithdrawalBlocksConsentUntilALaterGivenButNotOverrides) {
  PolicyEngine engine(DefaultPolicy());
  SubjectConsentHistory history;
  std::vector<RecipientInfo> council = {Recipient(kCouncil)};
  Header on_consent = BaseHeader();

  ASSERT_TRUE(engine.Decide(on_consent, council, history, kNowMs)[0].allowed());

  RecordConsent(history, 'A', sghub::v1::CONSENT_STATE_WITHDRAWN, kNowMs + 1000);
  Decision after = engine.Decide(on_consent, council, history, kNowMs + 2000)[0];
  EXPECT_EQ(after.reason_code, sghub::v1::REASON_CODE_CONSENT_WITHDRAWN);

  Header on_override = BaseHeader();
  SetOverride(on_override, sghub::v1::CONSENT_STATE_WITHDRAWN,
              sghub::v1::OVERRIDE_BASIS_RISK_TO_OTHERS);
  on_override.mutable_consent()->mutable_decision()->set_decided_at_ms(kNowMs + 1500);
  Decision overridden = engine.Decide(on_override, council, history, kNowMs + 2000)[0];
  EXPECT_TRUE(overridden.allowed());
  EXPECT_TRUE(overridden.shown_not_consented);

  RecordConsent(history, 'A', sghub::v1::CONSENT_STATE_GIVEN, kNowMs + 3000);
  EXPECT_TRUE(engine.Decide(on_consent, council, history, kNowMs + 4000)[0].consent_based);
}

TEST(SubjectConsentHistoryTest, LatestPrefersTheLaterRecordOnEqualTimes) {
  SubjectConsentHistory history;
  RecordConsent(history, 'A', sghub::v1::CONSENT_STATE_WITHDRAWN, 10);
  RecordConsent(history, 'A', sghub::v1::CONSENT_STATE_GIVEN, 10);
  ASSERT_NE(history.Latest(SubjectRef('A'), 10), nullptr);
  EXPECT_EQ(history.Latest(SubjectRef('A'), 10)->state, sghub::v1::CONSENT_STATE_GIVEN);
  EXPECT_EQ(history.Latest(SubjectRef('A'), 9), nullptr);
  EXPECT_EQ(history.Latest(SubjectRef('B'), 10), nullptr);
}

TEST(NamesTest, ReasonCodeNamesDropThePrefix) {
  EXPECT_EQ(ReasonCodeName(sghub::v1::REASON_CODE_CONSENT_REFUSED_NO_OVERRIDE),
            "CONSENT_REFUSED_NO_OVERRIDE");
  EXPECT_EQ(ReasonCodeName(sghub::v1::REASON_CODE_UNSPECIFIED), "UNSPECIFIED");
  EXPECT_EQ(ReasonCodeName(static_cast<ReasonCode>(999)), "UNKNOWN");
}

TEST(NamesTest, ShortNamesRoundTripAndRejectOddSpellings) {
  EXPECT_EQ(OverrideBasisName(sghub::v1::OVERRIDE_BASIS_CRIME_DISORDER_S115),
            "crime_disorder_s115");
  EXPECT_EQ(ParseCategory("mate_crime"), sghub::v1::CATEGORY_MATE_CRIME);
  EXPECT_EQ(ParseAgencyKind("AGENCY_KIND_POLICE"), kPolice);
  EXPECT_EQ(ParseAgencyKind("Police"), std::nullopt);
  EXPECT_EQ(ParseAgencyKind("unspecified"), std::nullopt);
  EXPECT_EQ(ParseOverrideBasis(""), std::nullopt);
}

TEST(NamesTest, FormatsUtcTimes) {
  EXPECT_EQ(FormatUtcMs(kNowMs), "2024-05-01T10:00:00Z");
  EXPECT_EQ(FormatUtcMs(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(FormatUtcMs(951782400000), "2000-02-29T00:00:00Z");
  EXPECT_EQ(FormatUtcMs(-1000), "1969-12-31T23:59:59Z");
}

}  // namespace
}  // namespace hub::policy
