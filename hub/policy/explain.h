// The bridge between JSON files and the policy engine, for `sghubctl policy explain` and
// for tests: read a header (proto3 JSON mapping) and the facts the hub would know about its
// recipients and subject, and render decisions for people (text) and scripts (JSON).
// docs/policy.md gives the input format. Pure functions; no I/O.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "hub/base/result.h"
#include "hub/policy/decision.h"
#include "hub/policy/subject_consent_history.h"
#include "sghub/v1/envelope.pb.h"

namespace hub::policy {

// Everything PolicyEngine::Decide needs, read from one JSON document.
struct ExplainInput {
  sghub::v1::Header header;
  std::vector<RecipientInfo> recipients;  // one per header.recipients, in header order
  SubjectConsentHistory history;          // from "history"; empty when absent
  int64_t now_ms = 0;                     // "now_ms", else header.created_at_ms
};

// Parses a sghub.v1.Header written in the proto3 JSON mapping (field names in either
// snake_case or lowerCamelCase, enums by name such as "CONSENT_STATE_GIVEN", bytes in
// base64, int64 as a number or a string). Unknown fields are refused. Errors are
// InvalidArgument naming the field, e.g. "header.consent.state: invalid value ...".
Result<sghub::v1::Header> HeaderFromJson(std::string_view json);

// Parses the explain document:
//   {"header": {...}, "recipient_kinds": {"police-x": "police"},
//    "original_sender": "nhs-north", "history": [{"subject_ref": "<base64>",
//    "state": "CONSENT_STATE_WITHDRAWN", "recorded_at_ms": 1714550000000,
//    "scope": {...}}], "now_ms": 1714557600000}
// Only "header" and "recipient_kinds" are required; every header recipient needs a kind.
// Errors are InvalidArgument naming the key, e.g. "history[1].state: ...".
Result<ExplainInput> ExplainInputFromJson(std::string_view json);

// One block per decision: the recipient, the verdict, the reason code and rule, then the
// explanation. Ends with a newline.
std::string ExplainDecisions(const std::vector<Decision>& decisions);

// {"decisions": [{"recipient", "verdict" ("allow"|"refuse"), "reason_code" (name or null),
// "rule", "explanation", "consent_based", "basis_used" (short name or null),
// "shown_not_consented"}]}, keys in that order, one line, ends with a newline.
std::string DecisionsToJson(const std::vector<Decision>& decisions);

}  // namespace hub::policy
