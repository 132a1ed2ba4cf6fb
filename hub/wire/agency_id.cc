#include "hub/wire/agency_id.h"

#include <string>

namespace hub::wire {

Status ValidateAgencyId(std::string_view id) {
  auto invalid = [](const std::string& why) {
    return Status::InvalidArgument("agency id " + why)
        .WithReason(sghub::v1::REASON_CODE_INVALID_FIELD, "agency.id");
  };
  if (id.empty()) {
    return invalid("is empty (1..64 characters of a-z 0-9 - _ .)");
  }
  if (id.size() > 64) {
    return invalid("is " + std::to_string(id.size()) + " characters long; the maximum is 64");
  }
  for (size_t i = 0; i < id.size(); ++i) {
    const char c = id[i];
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
    if (!ok) {
      return invalid("has a character at position " + std::to_string(i + 1) +
                     " outside a-z 0-9 - _ . (upper case is not allowed)");
    }
  }
  return Status::Ok();
}

Result<sghub::v1::AgencyKind> ParseAgencyKind(std::string_view name) {
  if (name == "nhs_mh") {
    return sghub::v1::AGENCY_KIND_NHS_MH;
  }
  if (name == "council") {
    return sghub::v1::AGENCY_KIND_COUNCIL;
  }
  if (name == "police") {
    return sghub::v1::AGENCY_KIND_POLICE;
  }
  if (name == "hub") {
    return sghub::v1::AGENCY_KIND_HUB;
  }
  return Status::InvalidArgument("agency kind \"" + std::string(name.substr(0, 32)) +
                                 "\" is not one of nhs_mh, council, police, hub")
      .WithReason(sghub::v1::REASON_CODE_INVALID_FIELD, "agency.kind");
}

std::string_view AgencyKindName(sghub::v1::AgencyKind kind) {
  switch (kind) {
    case sghub::v1::AGENCY_KIND_NHS_MH:
      return "nhs_mh";
    case sghub::v1::AGENCY_KIND_COUNCIL:
      return "council";
    case sghub::v1::AGENCY_KIND_POLICE:
      return "police";
    case sghub::v1::AGENCY_KIND_HUB:
      return "hub";
    default:
      return "unspecified";
  }
}

}  // namespace hub::wire
