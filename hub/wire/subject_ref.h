// Subject references: the pseudonymous, 32-byte ids that envelope headers carry instead of
// a person's identity. ref = keyed BLAKE2b-256 under the agencies' shared SubjectKey over a
// domain-separated, normalised identifier (docs/wire_format.md, "Subject references"):
//   NHS number:    "sghub.v1.subject.nhs" 0x00 || 10 ASCII digits
//   demographics:  "sghub.v1.subject.demo" 0x00 || FAMILY 0x1f YYYY-MM-DD 0x1f POSTCODE
// The hub never has the subject key, so it can link alerts about one person without
// learning who the person is. Error messages never repeat the personal data they reject.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

#include "hub/base/result.h"
#include "hub/wire/subject_key.h"

namespace hub::wire {

// Accepts 10 digits, optionally grouped with spaces or hyphens ("943 476 5919"), and returns
// the 10 digits. Refuses (InvalidArgument, field "nhs_number") anything else, and numbers
// failing the NHS modulus 11 check: weights 10..2 on the first nine digits, check digit =
// 11 - (sum mod 11), where 11 means 0 and 10 means the number is invalid.
Result<std::string> NormaliseNhsNumber(std::string_view nhs_number);

// Family name: trimmed; hyphens and runs of whitespace become one space; apostrophes
// (' U+2018 U+2019) and full stops removed; ASCII letters upper-cased; non-ASCII UTF-8 kept
// as sent (not case-folded); digits and other ASCII punctuation refused. Field "family_name".
Result<std::string> NormaliseFamilyName(std::string_view family_name);

// Date of birth as YYYY-MM-DD, DD/MM/YYYY or DD-MM-YYYY (day and month may have one digit
// in the last two forms); must be a real calendar date with year 1850..2199. Returns
// YYYY-MM-DD. Field "date_of_birth".
Result<std::string> NormaliseDateOfBirth(std::string_view date_of_birth);

// UK postcode: spaces removed, upper-cased, shape checked (outward A9, A99, AA9, AA99, A9A,
// AA9A, or GIR; inward 9AA). Returns outward + " " + inward, e.g. "SW1A 1AA".
// Field "postcode".
Result<std::string> NormalisePostcode(std::string_view postcode);

// FAMILY 0x1f YYYY-MM-DD 0x1f POSTCODE, each part normalised as above.
Result<std::string> NormaliseDemographics(std::string_view family_name,
                                          std::string_view date_of_birth,
                                          std::string_view postcode);

Result<std::array<std::byte, 32>> SubjectRefFromNhsNumber(const SubjectKey& key,
                                                          std::string_view nhs_number);

Result<std::array<std::byte, 32>> SubjectRefFromDemographics(const SubjectKey& key,
                                                             std::string_view family_name,
                                                             std::string_view date_of_birth,
                                                             std::string_view postcode);

}  // namespace hub::wire
