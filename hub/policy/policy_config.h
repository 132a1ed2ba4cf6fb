// PolicyConfig is the sharing policy the engine enforces: the statutory default of DESIGN.md
// section 3 plus whatever an operator tightened in the policy file. Tightening can only
// remove permissions: ValidatePolicy refuses a config that would share more than
// DefaultPolicy() does, or that contradicts itself. A plain value type.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>

#include "hub/base/status.h"
#include "sghub/v1/common.pb.h"

namespace hub::policy {

// What the policy allows for one recipient kind.
struct KindPolicy {
  // Override bases under which this kind may receive without consent in scope. The default
  // is the statutory set for the kind (StatutoryOverrideBases); tightening removes entries.
  std::set<sghub::v1::OverrideBasis> allowed_override_bases;
  // When set, this kind receives only alerts in these categories ("police only for hate
  // incidents and hostility"). nullopt: every category.
  std::optional<std::set<sghub::v1::Category>> allowed_categories;
  // Categories this kind never receives. Applied after allowed_categories.
  std::set<sghub::v1::Category> denied_categories;
};

struct PolicyConfig {
  // Consent GIVEN must carry an expiry (scope.expires_at_ms > 0); consent with none recorded
  // is treated as not in scope. The statutory default is true (envelope.proto: "consent must
  // expire"), so operators may restate it but not turn it off.
  bool require_consent_expiry = true;
  // Decision records must name advice actually taken (ADVICE_SOUGHT_NONE is then not
  // enough). Default false; an operator may turn it on.
  bool require_advice_sought = false;
  // Per recipient kind: NHS_MH, COUNCIL and POLICE. A kind absent here receives nothing.
  std::map<sghub::v1::AgencyKind, KindPolicy> kinds;
};

// The override bases the law and DESIGN.md rule 2 allow for `kind` by default: police get
// vital_interests, risk_to_others, serious_crime, court_order and crime_disorder_s115;
// NHS mental health and councils get every basis. Empty for other kinds.
std::set<sghub::v1::OverrideBasis> StatutoryOverrideBases(sghub::v1::AgencyKind kind);

// DESIGN.md section 3 as shipped: the statutory bases per kind, every category, expiry
// required, advice not required.
PolicyConfig DefaultPolicy();

// OK, or InvalidArgument naming the offending part when the config would widen the
// statutory default (a basis not allowed for the kind, expiry not required, a kind the hub
// does not deliver to) or contradicts itself (an empty category allow-list, a category both
// allowed and denied, every category denied, UNSPECIFIED entries).
Status ValidatePolicy(const PolicyConfig& config);

}  // namespace hub::policy
