// The document-level parts the council and police JSON formats share: the alert fields at
// the top level (kind, category, urgency, purpose, recipients, in_reply_to, expiry, source
// system and reference, request), the delivery-only keys, and where the common blocks of
// json_blocks.h (person, consent, lawful basis, risks, contacts) and the outcome sit. The two
// formats differ here only in a few key names, which AgencyJsonKeys carries.
//
// The readers are separate steps, not one call, because each format reads its blocks in its
// own order and the order of the reported errors follows it.
#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

#include "adapters/codecs/alert_checks.h"
#include "adapters/codecs/codec.h"
#include "adapters/codecs/json_object_reader.h"

namespace hub::codecs {

// The key names of the shared fields that differ between the formats.
struct AgencyJsonKeys {
  const char* category;          // "abuse_category" (council), "category" (police)
  const char* source_system;     // "case_system", "force_system"
  const char* source_reference;  // "case_reference", "occurrence_reference"
  const char* outcome_block;     // "s42", "outcome"
  const char* outcome_code;      // "outcome" (in s42), "code" (in outcome)
};

// The paths of every field whose place follows from `keys`; the caller adds the rest
// (summary, practitioner_name), which sit in the format's own blocks.
AlertPaths AgencyJsonPaths(const AgencyJsonKeys& keys);

// Reads kind, category, urgency, purpose, recipients, in_reply_to, expires_in_minutes and the
// source system and reference.
void ReadAlertFieldsJson(JsonObjectReader& root, const AgencyJsonKeys& keys, InboundAlert* a);

// Reads the "consent" block (with its narrative) and the "lawful_basis" block.
void ReadConsentAndBasisJson(JsonObjectReader& root, InboundAlert* a);

// Starts reading the outcome block `r`: null when it is absent; otherwise reads the code at
// keys.outcome_code into both the header's and the body's outcome code and returns the body's
// outcome, for the caller to read the other fields in its own order.
sghub::v1::Outcome* ReadOutcomeCodeJson(JsonObjectReader& r, const AgencyJsonKeys& keys,
                                        InboundAlert* a);

// Reads the "risks" and "contacts" arrays.
void ReadRisksAndContactsJson(JsonObjectReader& root, sghub::v1::AlertBody* body);

// The last step of reading the top level: reads "request", accepts the delivery-only keys,
// rejects every other key not read, and requires "person" and "consent". `document_noun`
// names the document in the error for a missing person ("alert", "notification").
void FinishReadingRootJson(JsonObjectReader& root, std::string_view document_noun, InboundAlert* a);

// Everything Encode writes that both formats share: the delivery-only keys, the alert fields,
// person, consent, lawful basis, risks, contacts, the outcome block (when there is an
// outcome) and request. The caller adds its own blocks.
nlohmann::json SharedAlertJson(const DeliveredAlert& alert, const AgencyJsonKeys& keys);

}  // namespace hub::codecs
