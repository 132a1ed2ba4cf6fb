// The inputs and outputs of one policy decision: who a recipient is, and whether it may
// receive an alert, on what basis, and which rule said so.
#pragma once

#include <string>

#include "sghub/v1/common.pb.h"

namespace hub::policy {

// A recipient as the hub's agency registry knows it.
struct RecipientInfo {
  std::string id;                                                   // agency id, as in the header
  sghub::v1::AgencyKind kind = sghub::v1::AGENCY_KIND_UNSPECIFIED;  // from the registry
  // True when this recipient sent the message that header.in_reply_to names, i.e. it raised
  // the concern an OUTCOME answers. The hub core knows this from its store (rule
  // R6.outcome-to-originator); false when unknown.
  bool originated_in_reply_to = false;
};

enum class Verdict { kAllow, kRefuse };

// The decision for one recipient. Every decision, allow or refuse, names its rule and has
// a sentence a practitioner can act on.
struct Decision {
  std::string recipient;  // agency id
  Verdict verdict = Verdict::kRefuse;
  sghub::v1::ReasonCode reason_code = sghub::v1::REASON_CODE_UNSPECIFIED;  // UNSPECIFIED if allowed
  std::string rule;            // stable rule id from rules.h
  std::string explanation;     // one or two sentences, no personal data
  bool consent_based = false;  // allowed on consent in scope
  sghub::v1::OverrideBasis basis_used = sghub::v1::OVERRIDE_BASIS_UNSPECIFIED;  // when on override
  bool shown_not_consented = false;  // receiver must be shown the person did not consent

  bool allowed() const { return verdict == Verdict::kAllow; }
};

}  // namespace hub::policy
