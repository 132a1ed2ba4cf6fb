// Agency ids and kinds, as they appear in headers, cards and key files.
#pragma once

#include <string_view>

#include "hub/base/result.h"
#include "sghub/v1/common.pb.h"

namespace hub::wire {

// An agency id is 1..64 characters of [a-z0-9-_.], e.g. "nhs-north". Returns
// InvalidArgument (REASON_CODE_INVALID_FIELD, field "agency.id") saying what is wrong.
// The id itself is echoed in messages only when it is valid up to the offending character.
Status ValidateAgencyId(std::string_view id);

// "nhs_mh", "council", "police", "hub" <-> sghub.v1.AgencyKind. ParseAgencyKind returns
// InvalidArgument listing the accepted names; AgencyKindName returns "unspecified" for
// values outside the list.
Result<sghub::v1::AgencyKind> ParseAgencyKind(std::string_view name);
std::string_view AgencyKindName(sghub::v1::AgencyKind kind);

}  // namespace hub::wire
