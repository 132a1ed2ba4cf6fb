// SubjectConsentHistory is what the hub knows about people's consent from earlier
// CONSENT_CHANGE alerts, keyed by pseudonymous subject ref. The policy engine reads it to
// apply DESIGN.md rule 4: a withdrawal blocks consent-based sharing about the subject at
// once, whatever later headers claim, until a later CONSENT_CHANGE records GIVEN again.
//
// The consent registry in the hub core owns the durable copy and builds one of these (or
// keeps one up to date) for the engine; `sghubctl policy explain` builds one from JSON.
// A plain value type: not synchronised, copyable.
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sghub/v1/envelope.pb.h"

namespace hub::policy {

// One recorded consent change about a subject.
struct ConsentRecord {
  sghub::v1::ConsentState state = sghub::v1::CONSENT_STATE_UNSPECIFIED;  // the new state
  int64_t recorded_at_ms = 0;     // hub time the change was recorded (Unix epoch ms)
  sghub::v1::ConsentScope scope;  // as carried by the CONSENT_CHANGE (GIVEN only)
};

class SubjectConsentHistory {
 public:
  // Records a consent change for `subject_ref` (the raw 32-byte ref, as in the header).
  // Records may arrive in any order; Latest() orders them by recorded_at_ms, and of two
  // records with the same time the one recorded later wins.
  void Record(std::string subject_ref, ConsentRecord record);

  // The record in effect at `now_ms` for `subject_ref`: the one with the greatest
  // recorded_at_ms not after now_ms. nullptr when there is none. Records dated after now_ms
  // are ignored so an explanation "as at" a past time sees what the hub saw then. The
  // pointer is valid until the next Record().
  const ConsentRecord* Latest(std::string_view subject_ref, int64_t now_ms) const;

  // Of `subject_refs`, the latest record in effect at now_ms whose state blocks
  // consent-based sharing (WITHDRAWN or REFUSED), or nullptr when none does. When several
  // refs are blocked, the most recent blocking record is returned (its time decides how
  // fresh an override's decision record must be).
  const ConsentRecord* BlockingRecord(std::span<const std::string> subject_refs,
                                      int64_t now_ms) const;

  bool empty() const { return records_.empty(); }

 private:
  // All records per subject ref, in the order Record() was called.
  std::map<std::string, std::vector<ConsentRecord>, std::less<>> records_;
};

}  // namespace hub::policy
