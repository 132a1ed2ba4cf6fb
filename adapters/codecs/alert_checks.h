// The completeness rules every codec applies to a decoded alert, whatever the agency format:
// what each alert kind needs, what each consent state needs, and what an override needs.
// Each codec passes the paths under which its own format carries each field, so an error
// names the field the agency's system actually has to fill in.
//
// These are the rules the hub's policy would refuse anyway (see DESIGN.md section 3); the
// codec applies them first so the refusal names the agency's field, not a header field.
// Whether consent covers a recipient is the hub's decision, not the codec's: consent
// `refused` with no override is a complete, valid document.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/codecs/codec.h"

namespace hub::codecs {

// Where a format carries each consent field.
struct ConsentPaths {
  std::string state;
  std::string scope_recipient_kinds;
  std::string scope_purposes;
  std::string scope_expires_at;
  std::string not_sought_reason;
  std::string capacity_assessment_ref;
  std::string capacity_decision_by;
  std::string override_basis;
  std::string decided_by_name;
  std::string decided_by_role;
  std::string decided_by_organisation;
  std::string decided_at;
  std::string decision_reason;
  std::string advice_sought;
  std::string person_told;
  std::string not_told_reason;
};

// Where a format carries each alert field.
struct AlertPaths {
  std::string kind;
  std::string category;
  std::string urgency;
  std::string purpose;
  std::string in_reply_to;
  std::string outcome_code;
  std::string outcome_detail;
  std::string crime_reference;
  std::string summary;
  std::string request;
  std::string practitioner_name;
  std::string nhs_number;
  std::string family_name;
  std::string date_of_birth;
  std::string postcode;
  std::string art6;
  std::string art9;
  ConsentPaths consent;
};

// Appends an error for every required field `alert` lacks. A path that already has an
// error (e.g. a wrong type) gets no second "required" error.
void CheckAlertComplete(const InboundAlert& alert, const AlertPaths& paths,
                        std::vector<FieldError>* errors);

// Clears sub-messages that ended up empty (a reader touched them but found nothing), so
// "absent" has one representation and decoded alerts compare equal field by field.
void ClearEmptyParts(InboundAlert* alert);

// The last step of every Decode: checks `alert` with CheckAlertComplete; when no error has
// been found, clears its empty parts and stores it in result->alert.
void FinishDecode(InboundAlert alert, const AlertPaths& paths, DecodeResult* result);

// How long a document may ask an alert to live: 1 minute to a (leap) year.
inline constexpr int64_t kMaxExpiresInMinutes = 366LL * 24 * 60;
inline constexpr std::string_view kExpiresInMinutesRange = "must be between 1 and 527040 (a year)";
// `minutes` in milliseconds, or nullopt when it is outside 1..kMaxExpiresInMinutes.
std::optional<int64_t> ExpiresInMsFromMinutes(int64_t minutes);

// Appends {field, reason} unless `errors` already names `field`.
void AddErrorOnce(std::vector<FieldError>* errors, const std::string& field, std::string reason);

}  // namespace hub::codecs
