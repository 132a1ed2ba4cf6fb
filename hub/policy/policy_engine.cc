#include "hub/policy/policy_engine.h"

#include <algorithm>
#include <cctype>
#include <optional>
#include <string>
#include <utility>

#include "hub/policy/names.h"
#include "hub/policy/rules.h"

namespace hub::policy {
namespace {

using sghub::v1::AgencyKind;
using sghub::v1::ConsentState;
using sghub::v1::Header;
using sghub::v1::OverrideBasis;
using sghub::v1::ReasonCode;

// A refusal before any per-recipient reasoning: the header itself is not good enough.
struct Refusal {
  ReasonCode code;
  std::string_view rule;
  std::string explanation;
};

// Whether consent in the header (and the history) covers one recipient, and if not why.
struct Coverage {
  bool covered = false;
  ReasonCode code = sghub::v1::REASON_CODE_UNSPECIFIED;
  std::string_view rule;
  std::string why;  // lower-case clause, e.g. "the person refused consent"
};

// Facts about the header that hold for every recipient.
struct HeaderFacts {
  std::optional<Refusal> refusal;           // header-level problem, refuses everyone
  const ConsentRecord* blocking = nullptr;  // history withdrawal/refusal in effect, if any
};

bool Blank(const std::string& s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; });
}

std::string Capitalise(std::string s) {
  if (!s.empty()) {
    s[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[0])));
  }
  return s;
}

// "a, b and c"
std::string JoinList(const std::vector<std::string>& items, std::string_view last_sep) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) {
      out += (i + 1 == items.size()) ? std::string(last_sep) : ", ";
    }
    out += items[i];
  }
  return out;
}

bool IsPolice(AgencyKind kind) { return kind == sghub::v1::AGENCY_KIND_POLICE; }

bool IsDeliverableKind(AgencyKind kind) {
  return kind == sghub::v1::AGENCY_KIND_NHS_MH || kind == sghub::v1::AGENCY_KIND_COUNCIL ||
         IsPolice(kind);
}

std::string NotSoughtReasonText(sghub::v1::NotSoughtReason reason) {
  switch (reason) {
    case sghub::v1::NOT_SOUGHT_REASON_WOULD_INCREASE_RISK:
      return "asking would increase the risk";
    case sghub::v1::NOT_SOUGHT_REASON_COULD_NOT_BE_REACHED:
      return "the person could not be reached";
    default:
      return "no reason given";
  }
}

// Header-level checks, in the order a practitioner would fix them.
std::optional<Refusal> CheckHeader(const Header& header) {
  const auto& consent = header.consent();
  if (header.kind() == sghub::v1::ALERT_KIND_UNSPECIFIED) {
    return Refusal{sghub::v1::REASON_CODE_MISSING_FIELD, rules::kAlertKindPresent,
                   "The header does not say what kind of alert this is (kind); the sender must "
                   "set it and resend."};
  }
  if (header.kind() == sghub::v1::ALERT_KIND_CONSENT_CHANGE) {
    ConsentState s = consent.state();
    if (s != sghub::v1::CONSENT_STATE_GIVEN && s != sghub::v1::CONSENT_STATE_WITHDRAWN &&
        s != sghub::v1::CONSENT_STATE_REFUSED) {
      return Refusal{sghub::v1::REASON_CODE_INVALID_FIELD, rules::kConsentChangeState,
                     "A consent change must record consent as given, withdrawn or refused, "
                     "not " +
                         ConsentStateName(s) + " (consent.state); correct it and resend."};
    }
    // A consent change only tells agencies what the person now wants; nothing else is
    // checked so that a withdrawal is never held up by paperwork.
    return std::nullopt;
  }
  if (consent.state() == sghub::v1::CONSENT_STATE_UNSPECIFIED) {
    return Refusal{sghub::v1::REASON_CODE_MISSING_FIELD, rules::kConsentStatePresent,
                   "The header does not record the person's consent position (consent.state); "
                   "record given, refused, withdrawn, not sought or lacks capacity and resend."};
  }
  std::vector<std::string> missing_basis;
  if (header.lawful_basis().art6() == sghub::v1::ART6_BASIS_UNSPECIFIED) {
    missing_basis.push_back("the UK GDPR Article 6 basis (lawful_basis.art6)");
  }
  if (header.lawful_basis().art9() == sghub::v1::ART9_CONDITION_UNSPECIFIED) {
    missing_basis.push_back("the Article 9 / DPA 2018 condition (lawful_basis.art9)");
  }
  if (!missing_basis.empty()) {
    return Refusal{
        sghub::v1::REASON_CODE_LAWFUL_BASIS_MISSING, rules::kLawfulBasisPresent,
        "The lawful basis for sharing is incomplete: " + JoinList(missing_basis, " and ") +
            (missing_basis.size() > 1 ? " are" : " is") +
            " missing. Record it, separately from consent, and resend."};
  }
  if (consent.state() == sghub::v1::CONSENT_STATE_NOT_SOUGHT &&
      consent.not_sought_reason() == sghub::v1::NOT_SOUGHT_REASON_UNSPECIFIED) {
    return Refusal{sghub::v1::REASON_CODE_NOT_SOUGHT_REASON_MISSING, rules::kNotSoughtReason,
                   "Consent was not sought but the header does not say why "
                   "(consent.not_sought_reason): record that asking would increase the risk or "
                   "that the person could not be reached, and resend."};
  }
  if (consent.state() == sghub::v1::CONSENT_STATE_LACKS_CAPACITY) {
    std::vector<std::string> missing;
    if (Blank(consent.capacity_assessment_ref())) {
      missing.push_back("the capacity assessment reference (consent.capacity_assessment_ref)");
    }
    if (consent.capacity_decision_by() == sghub::v1::CAPACITY_DECISION_BY_UNSPECIFIED) {
      missing.push_back(
          "who decided: best interests, LPA or deputy (consent.capacity_decision_by)");
    }
    if (!missing.empty()) {
      return Refusal{sghub::v1::REASON_CODE_CAPACITY_EVIDENCE_MISSING, rules::kCapacityEvidence,
                     "The person is recorded as lacking capacity, but " +
                         JoinList(missing, " and ") + (missing.size() > 1 ? " are" : " is") +
                         " missing; add the evidence and "
                         "resend."};
    }
  }
  return std::nullopt;
}

// Whether the consent position covers a recipient of `kind`.
Coverage CheckConsent(const Header& header, AgencyKind kind, const ConsentRecord* blocking,
                      const PolicyConfig& config, int64_t now_ms) {
  const auto& consent = header.consent();
  switch (consent.state()) {
    case sghub::v1::CONSENT_STATE_GIVEN:
      break;
    case sghub::v1::CONSENT_STATE_REFUSED:
      return {false, sghub::v1::REASON_CODE_CONSENT_REFUSED_NO_OVERRIDE,
              rules::kNoConsentNoOverride, "the person refused consent"};
    case sghub::v1::CONSENT_STATE_WITHDRAWN:
      return {false, sghub::v1::REASON_CODE_CONSENT_WITHDRAWN, rules::kNoConsentNoOverride,
              "the person withdrew consent"};
    case sghub::v1::CONSENT_STATE_NOT_SOUGHT:
      return {false, sghub::v1::REASON_CODE_CONSENT_REFUSED_NO_OVERRIDE,
              rules::kNoConsentNoOverride,
              "consent was not sought (" + NotSoughtReasonText(consent.not_sought_reason()) + ")"};
    case sghub::v1::CONSENT_STATE_LACKS_CAPACITY:
      return {false, sghub::v1::REASON_CODE_CONSENT_REFUSED_NO_OVERRIDE,
              rules::kNoConsentNoOverride,
              "the person lacks capacity to consent, so consent cannot be the basis"};
    default:
      return {false, sghub::v1::REASON_CODE_CONSENT_REFUSED_NO_OVERRIDE,
              rules::kNoConsentNoOverride, "the consent position is not one the hub knows"};
  }
  if (blocking != nullptr) {
    bool withdrawn = blocking->state == sghub::v1::CONSENT_STATE_WITHDRAWN;
    return {false,
            withdrawn ? sghub::v1::REASON_CODE_CONSENT_WITHDRAWN
                      : sghub::v1::REASON_CODE_CONSENT_REFUSED_NO_OVERRIDE,
            rules::kHistoryBlocksConsent,
            std::string("the person ") + (withdrawn ? "withdrew" : "refused") +
                " consent in a consent change the hub recorded at " +
                FormatUtcMs(blocking->recorded_at_ms) +
                ", so the consent in this header no longer counts until a new consent change "
                "records it as given"};
  }
  const auto& scope = consent.scope();
  bool kind_in_scope = std::find(scope.recipient_kinds().begin(), scope.recipient_kinds().end(),
                                 kind) != scope.recipient_kinds().end();
  if (!kind_in_scope) {
    std::vector<std::string> kinds;
    for (int k : scope.recipient_kinds()) {
      kinds.push_back(AgencyKindName(static_cast<AgencyKind>(k)));
    }
    return {false, sghub::v1::REASON_CODE_CONSENT_NOT_IN_SCOPE, rules::kConsentScopeKind,
            "the person consented to sharing with " +
                (kinds.empty() ? std::string("no recipient kinds") : JoinList(kinds, " and ")) +
                ", not with " + AgencyKindName(kind)};
  }
  bool purpose_in_scope = std::find(scope.purposes().begin(), scope.purposes().end(),
                                    header.purpose()) != scope.purposes().end();
  if (!purpose_in_scope) {
    std::vector<std::string> purposes;
    for (int p : scope.purposes()) {
      purposes.push_back(PurposeName(static_cast<sghub::v1::Purpose>(p)));
    }
    return {false, sghub::v1::REASON_CODE_CONSENT_NOT_IN_SCOPE, rules::kConsentScopePurpose,
            "the person consented for " +
                (purposes.empty() ? std::string("no purposes") : JoinList(purposes, " and ")) +
                ", not for " + PurposeName(header.purpose())};
  }
  if (scope.expires_at_ms() == 0) {
    if (config.require_consent_expiry) {
      return {false, sghub::v1::REASON_CODE_CONSENT_NOT_IN_SCOPE, rules::kConsentExpiryRecorded,
              "the consent records no expiry date (consent.scope.expires_at_ms), and consent "
              "must have one to be relied on"};
    }
  } else if (scope.expires_at_ms() <= now_ms) {
    return {false, sghub::v1::REASON_CODE_CONSENT_EXPIRED, rules::kConsentExpired,
            "the person's consent expired at " + FormatUtcMs(scope.expires_at_ms()) +
                " and needs to be sought again"};
  }
  return {true, sghub::v1::REASON_CODE_UNSPECIFIED, rules::kConsentInScope, ""};
}

std::vector<std::string> MissingDecisionFields(const sghub::v1::Consent& consent) {
  const auto& d = consent.decision();
  std::vector<std::string> missing;
  if (Blank(d.decided_by_name())) missing.push_back("decided_by_name");
  if (Blank(d.decided_by_role())) missing.push_back("decided_by_role");
  if (Blank(d.decided_by_organisation())) missing.push_back("decided_by_organisation");
  if (d.decided_at_ms() <= 0) missing.push_back("decided_at_ms");
  if (Blank(d.reason())) missing.push_back("reason");
  if (d.advice_sought() == sghub::v1::ADVICE_SOUGHT_UNSPECIFIED) {
    missing.push_back("advice_sought");
  }
  if (d.person_told() == sghub::v1::PERSON_TOLD_UNSPECIFIED) {
    missing.push_back("person_told");
  } else if (d.person_told() == sghub::v1::PERSON_TOLD_NOT_TOLD && Blank(d.not_told_reason())) {
    missing.push_back("not_told_reason");
  }
  return missing;
}

// Art 9 conditions a disclosure to police can rest on: the law-enforcement condition, the
// safeguarding condition health and council senders disclose under, vital interests, and
// explicit consent (the latter only on the consent path; see CheckNotConsentBasis).
bool PoliceArt9Ok(sghub::v1::Art9Condition c) {
  return c == sghub::v1::ART9_CONDITION_SCH8_PARA4_SAFEGUARDING ||
         c == sghub::v1::ART9_CONDITION_SCH1_PARA18_SAFEGUARDING ||
         c == sghub::v1::ART9_CONDITION_VITAL_INTERESTS ||
         c == sghub::v1::ART9_CONDITION_EXPLICIT_CONSENT;
}

class RecipientDecider {
 public:
  RecipientDecider(const PolicyConfig& config, const Header& header, const HeaderFacts& facts,
                   int64_t now_ms)
      : config_(config), header_(header), facts_(facts), now_ms_(now_ms) {}

  Decision Decide(const RecipientInfo& r) const {
    Decision d;
    d.recipient = r.id;
    if (!IsDeliverableKind(r.kind)) {
      return Refuse(std::move(d), sghub::v1::REASON_CODE_UNKNOWN_RECIPIENT, rules::kRecipientKind,
                    "The hub does not know what kind of agency " + r.id +
                        " is, so it cannot apply the sharing rules; register it as nhs_mh, "
                        "council or police.");
    }
    if (facts_.refusal.has_value()) {
      return Refuse(std::move(d), facts_.refusal->code, facts_.refusal->rule,
                    facts_.refusal->explanation);
    }
    if (header_.kind() == sghub::v1::ALERT_KIND_CONSENT_CHANGE) {
      d.verdict = Verdict::kAllow;
      d.rule = rules::kConsentChangeFlows;
      d.explanation = "Allowed: a consent change (now " +
                      ConsentStateName(header_.consent().state()) +
                      ") goes to every registered recipient so that they stop or resume "
                      "sharing as the person wishes.";
      return d;
    }
    if (header_.kind() == sghub::v1::ALERT_KIND_OUTCOME && !header_.in_reply_to().empty() &&
        r.originated_in_reply_to) {
      d.verdict = Verdict::kAllow;
      d.rule = rules::kOutcomeToOriginator;
      d.explanation = "Allowed: this outcome answers an alert that " + r.id +
                      " raised, and telling the referrer what was done closes the "
                      "safeguarding loop.";
      return d;
    }
    const KindPolicy* kp = KindPolicyFor(r.kind);
    if (kp == nullptr) {
      return Refuse(
          std::move(d), sghub::v1::REASON_CODE_POLICY_CATEGORY_NOT_ALLOWED,
          rules::kOpCategoryForKind,
          "The local policy does not let " + AgencyKindName(r.kind) + " agencies receive alerts.");
    }
    if (std::optional<std::string> why = CategoryRefusal(r.kind, *kp)) {
      return Refuse(std::move(d), sghub::v1::REASON_CODE_POLICY_CATEGORY_NOT_ALLOWED,
                    rules::kOpCategoryForKind, *why);
    }
    if (IsPolice(r.kind) && !PoliceArt9Ok(header_.lawful_basis().art9())) {
      return Refuse(std::move(d), sghub::v1::REASON_CODE_LAWFUL_BASIS_MISSING, rules::kPoliceArt9,
                    "The Article 9 condition " + Art9ConditionName(header_.lawful_basis().art9()) +
                        " does not cover disclosure to police; use sch8_para4_safeguarding, "
                        "sch1_para18_safeguarding or vital_interests (lawful_basis.art9).");
    }
    Coverage coverage = CheckConsent(header_, r.kind, facts_.blocking, config_, now_ms_);
    if (coverage.covered) {
      d.verdict = Verdict::kAllow;
      d.rule = rules::kConsentInScope;
      d.consent_based = true;
      std::string until = header_.consent().scope().expires_at_ms() > 0
                              ? " until " + FormatUtcMs(header_.consent().scope().expires_at_ms())
                              : "";
      d.explanation = "Allowed on consent: the person consented to sharing with " +
                      AgencyKindName(r.kind) + " for " + PurposeName(header_.purpose()) + until +
                      ".";
      return d;
    }
    OverrideBasis basis = header_.consent().override_basis();
    if (basis == sghub::v1::OVERRIDE_BASIS_UNSPECIFIED) {
      std::string hint = header_.consent().state() == sghub::v1::CONSENT_STATE_LACKS_CAPACITY
                             ? " (lacks_capacity_best_interests is the usual one)"
                             : "";
      return Refuse(std::move(d), coverage.code, coverage.rule,
                    Capitalise(coverage.why) + ", and no override basis was given; " +
                        AgencyKindName(r.kind) + " can receive this only " + AllowedRoute(*kp) +
                        hint + ".");
    }
    return DecideOverride(std::move(d), r, *kp, coverage, basis);
  }

 private:
  const KindPolicy* KindPolicyFor(AgencyKind kind) const {
    auto it = config_.kinds.find(kind);
    return it == config_.kinds.end() ? nullptr : &it->second;
  }

  std::optional<std::string> CategoryRefusal(AgencyKind kind, const KindPolicy& kp) const {
    sghub::v1::Category c = header_.category();
    bool allowed = !kp.allowed_categories.has_value() || kp.allowed_categories->count(c) != 0;
    if (allowed && kp.denied_categories.count(c) == 0) {
      return std::nullopt;
    }
    std::string text = "The local policy does not let " + AgencyKindName(kind) +
                       " receive alerts in the category " + CategoryName(c);
    if (kp.allowed_categories.has_value()) {
      std::vector<std::string> names;
      for (sghub::v1::Category a : *kp.allowed_categories) {
        if (kp.denied_categories.count(a) == 0) {
          names.push_back(CategoryName(a));
        }
      }
      text += "; it receives only " + JoinList(names, " and ");
    }
    return text + ". Share by another route if the law requires it.";
  }

  // "with consent in scope or under a, b or c", from the config for this kind.
  std::string AllowedRoute(const KindPolicy& kp) const {
    std::vector<std::string> names;
    for (OverrideBasis b : kp.allowed_override_bases) {
      if (b == sghub::v1::OVERRIDE_BASIS_SAB_REQUEST_S45 && !S45FitsAlertKind()) {
        continue;
      }
      names.push_back(OverrideBasisName(b));
    }
    if (names.empty()) {
      return "with consent in scope";
    }
    return "with consent in scope or under " + JoinList(names, " or ") +
           " with a full decision record";
  }

  bool S45FitsAlertKind() const {
    return header_.kind() == sghub::v1::ALERT_KIND_INFO_REQUEST ||
           header_.kind() == sghub::v1::ALERT_KIND_OUTCOME;
  }

  Decision DecideOverride(Decision d, const RecipientInfo& r, const KindPolicy& kp,
                          const Coverage& coverage, OverrideBasis basis) const {
    const std::string kind = AgencyKindName(r.kind);
    const std::string basis_name = OverrideBasisName(basis);
    const std::string lead = Capitalise(coverage.why) + ", and the override basis " + basis_name;
    if (kp.allowed_override_bases.count(basis) == 0) {
      bool statutory = StatutoryOverrideBases(r.kind).count(basis) != 0;
      std::string_view rule = IsPolice(r.kind) && !statutory ? rules::kPoliceOverrideBasis
                                                             : rules::kOpOverrideBasisForKind;
      std::string by = statutory ? " under the local policy" : "";
      return Refuse(std::move(d), sghub::v1::REASON_CODE_OVERRIDE_NOT_ALLOWED_FOR_RECIPIENT, rule,
                    lead + " does not allow sharing with " + kind + by + "; " + kind +
                        " can receive this only " + AllowedRoute(kp) + ".");
    }
    if (basis == sghub::v1::OVERRIDE_BASIS_SAB_REQUEST_S45 && !S45FitsAlertKind()) {
      return Refuse(std::move(d), sghub::v1::REASON_CODE_OVERRIDE_NOT_ALLOWED_FOR_RECIPIENT,
                    rules::kS45OnlyForSabRequests,
                    lead +
                        " applies only to a Safeguarding Adults Board request "
                        "(info_request) or the answer to one (outcome), not to a " +
                        AlertKindName(header_.kind()) + ".");
    }
    if (basis == sghub::v1::OVERRIDE_BASIS_LACKS_CAPACITY_BEST_INTERESTS &&
        header_.consent().state() != sghub::v1::CONSENT_STATE_LACKS_CAPACITY) {
      return Refuse(std::move(d), sghub::v1::REASON_CODE_CAPACITY_EVIDENCE_MISSING,
                    rules::kBestInterestsNeedsIncapacity,
                    lead +
                        " needs the person to be recorded as lacking capacity (consent.state "
                        "lacks_capacity) with the assessment reference and who decided.");
    }
    if (!header_.consent().has_decision()) {
      return Refuse(std::move(d), sghub::v1::REASON_CODE_DECISION_RECORD_INCOMPLETE,
                    rules::kDecisionRecordComplete,
                    lead +
                        " was given without a decision record (consent.decision): record "
                        "who decided, when, why, what advice was sought and whether the "
                        "person was told.");
    }
    std::vector<std::string> missing = MissingDecisionFields(header_.consent());
    if (!missing.empty()) {
      return Refuse(std::move(d), sghub::v1::REASON_CODE_DECISION_RECORD_INCOMPLETE,
                    rules::kDecisionRecordComplete,
                    lead + " needs a complete decision record; missing: consent.decision." +
                        JoinList(missing, ", consent.decision.") + ".");
    }
    const auto& record = header_.consent().decision();
    if (config_.require_advice_sought && record.advice_sought() == sghub::v1::ADVICE_SOUGHT_NONE) {
      return Refuse(std::move(d), sghub::v1::REASON_CODE_DECISION_RECORD_INCOMPLETE,
                    rules::kOpAdviceRequired,
                    lead +
                        " needs advice from the Caldicott Guardian, safeguarding lead, data "
                        "protection officer or a lawyer under the local policy; the decision "
                        "record says none was sought (consent.decision.advice_sought).");
    }
    if (facts_.blocking != nullptr && record.decided_at_ms() < facts_.blocking->recorded_at_ms) {
      return Refuse(std::move(d), sghub::v1::REASON_CODE_DECISION_RECORD_INCOMPLETE,
                    rules::kOverrideRecordAfterWithdrawal,
                    "The decision to share under " + basis_name + " was made at " +
                        FormatUtcMs(record.decided_at_ms()) +
                        ", before the person's consent change recorded at " +
                        FormatUtcMs(facts_.blocking->recorded_at_ms) +
                        "; a fresh decision record that weighs the withdrawal is needed.");
    }
    const auto& lawful = header_.lawful_basis();
    if (lawful.art6() == sghub::v1::ART6_BASIS_CONSENT ||
        lawful.art9() == sghub::v1::ART9_CONDITION_EXPLICIT_CONSENT) {
      return Refuse(std::move(d), sghub::v1::REASON_CODE_LAWFUL_BASIS_MISSING,
                    rules::kLawfulBasisNotConsent,
                    lead +
                        " means the person did not consent to this sharing, so consent "
                        "cannot be its lawful basis; record a non-consent Article 6 basis "
                        "and Article 9 condition (lawful_basis).");
    }
    d.verdict = Verdict::kAllow;
    d.rule = IsPolice(r.kind) ? rules::kPoliceOverrideBasis : rules::kOverrideWithRecord;
    d.basis_used = basis;
    d.shown_not_consented = true;
    d.explanation = "Allowed without consent: " + coverage.why + ", and " + basis_name +
                    " was decided by the " + record.decided_by_role() + " at " +
                    record.decided_by_organisation() + " on " +
                    FormatUtcMs(record.decided_at_ms()) + ". " + r.id +
                    " will be shown that the person did not consent.";
    return d;
  }

  static Decision Refuse(Decision d, ReasonCode code, std::string_view rule,
                         std::string explanation) {
    d.verdict = Verdict::kRefuse;
    d.reason_code = code;
    d.rule = rule;
    d.explanation = std::move(explanation);
    d.consent_based = false;
    d.basis_used = sghub::v1::OVERRIDE_BASIS_UNSPECIFIED;
    d.shown_not_consented = false;
    return d;
  }

  const PolicyConfig& config_;
  const Header& header_;
  const HeaderFacts& facts_;
  int64_t now_ms_;
};

}  // namespace

PolicyEngine::PolicyEngine(PolicyConfig config) : config_(std::move(config)) {}

std::vector<Decision> PolicyEngine::Decide(const Header& header,
                                           std::span<const RecipientInfo> recipients,
                                           const SubjectConsentHistory& history,
                                           int64_t now_ms) const {
  HeaderFacts facts;
  facts.refusal = CheckHeader(header);
  std::vector<std::string> refs(header.subject_refs().begin(), header.subject_refs().end());
  facts.blocking = history.BlockingRecord(refs, now_ms);

  RecipientDecider decider(config_, header, facts, now_ms);
  std::vector<Decision> decisions;
  decisions.reserve(recipients.size());
  for (const RecipientInfo& r : recipients) {
    decisions.push_back(decider.Decide(r));
  }
  return decisions;
}

}  // namespace hub::policy
