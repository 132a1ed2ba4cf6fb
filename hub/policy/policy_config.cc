#include "hub/policy/policy_config.h"

#include <string>

#include "hub/policy/names.h"

namespace hub::policy {
namespace {

using sghub::v1::AgencyKind;
using sghub::v1::Category;
using sghub::v1::OverrideBasis;

constexpr AgencyKind kDeliverableKinds[] = {
    sghub::v1::AGENCY_KIND_NHS_MH, sghub::v1::AGENCY_KIND_COUNCIL, sghub::v1::AGENCY_KIND_POLICE};

std::set<OverrideBasis> AllOverrideBases() {
  std::set<OverrideBasis> all;
  for (int v = sghub::v1::OverrideBasis_MIN; v <= sghub::v1::OverrideBasis_MAX; ++v) {
    if (v != sghub::v1::OVERRIDE_BASIS_UNSPECIFIED && sghub::v1::OverrideBasis_IsValid(v)) {
      all.insert(static_cast<OverrideBasis>(v));
    }
  }
  return all;
}

bool IsRealCategory(Category c) {
  return c != sghub::v1::CATEGORY_UNSPECIFIED && sghub::v1::Category_IsValid(c);
}

int CategoryCount() {
  int n = 0;
  for (int v = sghub::v1::Category_MIN; v <= sghub::v1::Category_MAX; ++v) {
    if (v != sghub::v1::CATEGORY_UNSPECIFIED && sghub::v1::Category_IsValid(v)) {
      ++n;
    }
  }
  return n;
}

Status ValidateKind(AgencyKind kind, const KindPolicy& policy) {
  const std::string where = "policy." + AgencyKindName(kind);
  const std::set<OverrideBasis> statutory = StatutoryOverrideBases(kind);
  for (OverrideBasis basis : policy.allowed_override_bases) {
    if (statutory.count(basis) == 0) {
      return Status::InvalidArgument(
          where + ".allowed_override_bases: " + OverrideBasisName(basis) + " is not allowed for " +
          AgencyKindName(kind) + " by the statutory default; a policy file may only remove bases");
    }
  }
  if (policy.allowed_categories.has_value()) {
    if (policy.allowed_categories->empty()) {
      return Status::InvalidArgument(
          where + ".categories: an empty list would stop every alert to " + AgencyKindName(kind) +
          "; list the categories it may receive, or remove the key");
    }
    for (Category c : *policy.allowed_categories) {
      if (!IsRealCategory(c)) {
        return Status::InvalidArgument(where + ".categories: " + CategoryName(c) +
                                       " is not a category");
      }
      if (policy.denied_categories.count(c) != 0) {
        return Status::InvalidArgument(where + ": category " + CategoryName(c) +
                                       " is both allowed (categories) and denied "
                                       "(denied_categories)");
      }
    }
  }
  for (Category c : policy.denied_categories) {
    if (!IsRealCategory(c)) {
      return Status::InvalidArgument(where + ".denied_categories: " + CategoryName(c) +
                                     " is not a category");
    }
  }
  if (static_cast<int>(policy.denied_categories.size()) >= CategoryCount()) {
    return Status::InvalidArgument(where + ".denied_categories: denies every category, so " +
                                   AgencyKindName(kind) + " could never receive an alert");
  }
  return Status::Ok();
}

}  // namespace

std::set<OverrideBasis> StatutoryOverrideBases(AgencyKind kind) {
  switch (kind) {
    case sghub::v1::AGENCY_KIND_POLICE:
      return {sghub::v1::OVERRIDE_BASIS_VITAL_INTERESTS, sghub::v1::OVERRIDE_BASIS_RISK_TO_OTHERS,
              sghub::v1::OVERRIDE_BASIS_SERIOUS_CRIME, sghub::v1::OVERRIDE_BASIS_COURT_ORDER,
              sghub::v1::OVERRIDE_BASIS_CRIME_DISORDER_S115};
    case sghub::v1::AGENCY_KIND_NHS_MH:
    case sghub::v1::AGENCY_KIND_COUNCIL:
      return AllOverrideBases();
    default:
      return {};
  }
}

PolicyConfig DefaultPolicy() {
  PolicyConfig config;
  for (AgencyKind kind : kDeliverableKinds) {
    KindPolicy& kp = config.kinds[kind];
    kp.allowed_override_bases = StatutoryOverrideBases(kind);
  }
  return config;
}

Status ValidatePolicy(const PolicyConfig& config) {
  if (!config.require_consent_expiry) {
    return Status::InvalidArgument(
        "policy.require_consent_expiry: false would accept consent with no expiry, which the "
        "statutory default refuses; a policy file may only tighten");
  }
  for (const auto& [kind, kind_policy] : config.kinds) {
    bool deliverable = false;
    for (AgencyKind k : kDeliverableKinds) {
      deliverable = deliverable || k == kind;
    }
    if (!deliverable) {
      return Status::InvalidArgument("policy: recipient kind " + AgencyKindName(kind) +
                                     " cannot receive alerts");
    }
    HUB_RETURN_IF_ERROR(ValidateKind(kind, kind_policy));
  }
  return Status::Ok();
}

}  // namespace hub::policy
