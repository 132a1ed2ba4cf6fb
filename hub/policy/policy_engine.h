// PolicyEngine decides, for each recipient of a signed header, whether the hub may deliver
// the alert to it, following DESIGN.md section 3 as tightened by the operator's PolicyConfig.
// It reads only the header (never the sealed body), the recipients' kinds, the subjects'
// consent history and the time it is given: no I/O, no clock. docs/policy.md lists every
// rule id, reason code and sentence.
//
// Immutable after construction; Decide() is const and safe to call from many threads.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "hub/policy/decision.h"
#include "hub/policy/policy_config.h"
#include "hub/policy/subject_consent_history.h"
#include "sghub/v1/envelope.pb.h"

namespace hub::policy {

class PolicyEngine {
 public:
  // `config` should have passed ValidatePolicy(); the engine enforces whatever it is given.
  explicit PolicyEngine(PolicyConfig config);

  // One Decision per entry of `recipients`, in the same order. A problem with the header as
  // a whole (no lawful basis, no consent state, capacity evidence missing...) still yields
  // one refusing Decision per recipient, each with the code. `now_ms` is the hub's time.
  std::vector<Decision> Decide(const sghub::v1::Header& header,
                               std::span<const RecipientInfo> recipients,
                               const SubjectConsentHistory& history, int64_t now_ms) const;

  const PolicyConfig& config() const { return config_; }

 private:
  // Constant after construction.
  PolicyConfig config_;
};

}  // namespace hub::policy
