// Stable, human-facing names for the sghub.v1 enums that policy decisions and policy files
// talk about. Short names are the proto value without its prefix, in lower case
// ("CATEGORY_MATE_CRIME" -> "mate_crime"); they are what operators write in TOML and what
// explanations print. Reason codes keep their upper-case form ("CONSENT_EXPIRED") because
// they are stable identifiers that scripts match on.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "sghub/v1/common.pb.h"

namespace hub::policy {

// "CONSENT_REFUSED_NO_OVERRIDE" for REASON_CODE_CONSENT_REFUSED_NO_OVERRIDE; "UNSPECIFIED"
// for zero; "UNKNOWN" for a value the schema does not define. The view stays valid forever.
std::string_view ReasonCodeName(sghub::v1::ReasonCode code);

// Lower-case short names; "unknown(<n>)" for a value the schema does not define.
std::string AgencyKindName(sghub::v1::AgencyKind kind);
std::string CategoryName(sghub::v1::Category category);
std::string OverrideBasisName(sghub::v1::OverrideBasis basis);
std::string PurposeName(sghub::v1::Purpose purpose);
std::string ConsentStateName(sghub::v1::ConsentState state);
std::string AlertKindName(sghub::v1::AlertKind kind);
std::string Art9ConditionName(sghub::v1::Art9Condition condition);
std::string Art6BasisName(sghub::v1::Art6Basis basis);

// Parse a short name ("police") or the full proto name ("AGENCY_KIND_POLICE"). The
// UNSPECIFIED value is never returned: it is not a name anyone may write.
std::optional<sghub::v1::AgencyKind> ParseAgencyKind(std::string_view name);
std::optional<sghub::v1::Category> ParseCategory(std::string_view name);
std::optional<sghub::v1::OverrideBasis> ParseOverrideBasis(std::string_view name);
std::optional<sghub::v1::ConsentState> ParseConsentState(std::string_view name);

}  // namespace hub::policy

namespace hub::policy {

// "2024-05-01T10:00:00Z" for a Unix epoch millisecond time (UTC, seconds precision). Pure:
// never reads a clock or the time zone.
std::string FormatUtcMs(int64_t ms);

}  // namespace hub::policy
