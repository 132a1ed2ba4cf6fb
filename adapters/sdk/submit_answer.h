// What the hub answered to one submission, and what a submission came to.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "sghub/v1/frames.pb.h"

namespace hub::sdk {

struct SubmitAnswer {
  std::string message_id;  // 16 bytes
  bool accepted = false;
  sghub::v1::Accepted accepted_msg;  // when accepted: per-recipient results
  sghub::v1::Refused refused_msg;    // when refused: reason code, field and sentence

  // One line for logs and files: "accepted: council-west queued; police-west not queued
  // (CONSENT_REFUSED_NO_OVERRIDE: ...)" or "refused: INVALID_FIELD header.x: ...".
  std::string Summary() const;
};

struct SubmitOutcome {
  std::string message_id;              // 16 bytes; always set
  std::optional<SubmitAnswer> answer;  // empty: no answer in time; the alert stays in the
                                       // outbox and is sent whenever the hub is reachable
};

}  // namespace hub::sdk
