// Stable ids of the policy rules. Every Decision names the rule that made it; docs/policy.md
// lists each id with what it checks, its reason code and its sentence. Ids never change
// meaning: retire one rather than reuse it. "R<n>" follows DESIGN.md section 3 default
// policy rule n; "R0" are header and lawful-basis checks; "R6" are alert-kind flows; "OP"
// are operator tightenings from the policy file.
#pragma once

#include <string_view>

namespace hub::policy::rules {

// Header and lawful basis.
inline constexpr std::string_view kRecipientKind = "R0.recipient-kind";
inline constexpr std::string_view kAlertKindPresent = "R0.alert-kind-present";
inline constexpr std::string_view kConsentStatePresent = "R0.consent-state-present";
inline constexpr std::string_view kLawfulBasisPresent = "R0.lawful-basis-present";
inline constexpr std::string_view kLawfulBasisNotConsent = "R0.lawful-basis-consent-needs-consent";
inline constexpr std::string_view kPoliceArt9 = "R0.police-art9-condition";

// Rule 1: consent in scope, or an override with a decision record.
inline constexpr std::string_view kConsentInScope = "R1.consent-in-scope";
inline constexpr std::string_view kConsentScopeKind = "R1.consent-scope-kind";
inline constexpr std::string_view kConsentScopePurpose = "R1.consent-scope-purpose";
inline constexpr std::string_view kConsentExpiryRecorded = "R1.consent-expiry-recorded";
inline constexpr std::string_view kConsentExpired = "R1.consent-expired";
inline constexpr std::string_view kNoConsentNoOverride = "R1.no-consent-no-override";
inline constexpr std::string_view kNotSoughtReason = "R1.not-sought-reason";
inline constexpr std::string_view kOverrideWithRecord = "R1.override-with-decision-record";

// Rule 2: police.
inline constexpr std::string_view kPoliceOverrideBasis = "R2.police-override-basis";

// Rule 3: capacity.
inline constexpr std::string_view kCapacityEvidence = "R3.capacity-evidence";
inline constexpr std::string_view kBestInterestsNeedsIncapacity =
    "R3.best-interests-needs-lacks-capacity";

// Rule 4: consent history and consent changes.
inline constexpr std::string_view kHistoryBlocksConsent = "R4.history-blocks-consent";
inline constexpr std::string_view kOverrideRecordAfterWithdrawal =
    "R4.override-record-after-withdrawal";
inline constexpr std::string_view kConsentChangeFlows = "R4.consent-change-flows";
inline constexpr std::string_view kConsentChangeState = "R4.consent-change-state";

// Rule 5: decision record.
inline constexpr std::string_view kDecisionRecordComplete = "R5.decision-record-complete";

// Alert-kind flows.
inline constexpr std::string_view kOutcomeToOriginator = "R6.outcome-to-originator";
inline constexpr std::string_view kS45OnlyForSabRequests = "R6.s45-only-for-sab-requests";

// Operator tightenings.
inline constexpr std::string_view kOpCategoryForKind = "OP.category-for-kind";
inline constexpr std::string_view kOpOverrideBasisForKind = "OP.override-basis-for-kind";
inline constexpr std::string_view kOpAdviceRequired = "OP.advice-required";

}  // namespace hub::policy::rules
