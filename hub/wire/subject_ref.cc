#include "hub/wire/subject_ref.h"

#include <sodium.h>

#include <cstdio>

#include "hub/wire/crypto_init.h"
#include "hub/wire/wire_status.h"

namespace hub::wire {
namespace {

constexpr std::string_view kNhsTag = "sghub.v1.subject.nhs";
constexpr std::string_view kDemoTag = "sghub.v1.subject.demo";
constexpr char kSeparator = '\x1f';
constexpr size_t kMaxFamilyNameBytes = 100;

Status Invalid(std::string_view field, std::string_view why) {
  return FieldError(sghub::v1::REASON_CODE_INVALID_FIELD, field, why);
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
char ToUpper(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; }
bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) {
    s.remove_prefix(1);
  }
  while (!s.empty() && IsSpace(s.back())) {
    s.remove_suffix(1);
  }
  return s;
}

// Parses 1..max_digits decimal digits; false if anything else.
bool ParseNumber(std::string_view s, size_t min_digits, size_t max_digits, int* out) {
  if (s.size() < min_digits || s.size() > max_digits) {
    return false;
  }
  int value = 0;
  for (char c : s) {
    if (!IsDigit(c)) {
      return false;
    }
    value = value * 10 + (c - '0');
  }
  *out = value;
  return true;
}

bool IsLeapYear(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysInMonth(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeapYear(y) ? 29 : kDays[m - 1];
}

// Outward codes: A9, A99, AA9, AA99, A9A, AA9A (A letter, 9 digit).
bool IsOutwardCode(std::string_view s) {
  auto shape = [&](std::string_view pattern) {
    if (s.size() != pattern.size()) {
      return false;
    }
    for (size_t i = 0; i < s.size(); ++i) {
      if ((pattern[i] == 'A' && !IsUpper(s[i])) || (pattern[i] == '9' && !IsDigit(s[i]))) {
        return false;
      }
    }
    return true;
  };
  return shape("A9") || shape("A99") || shape("AA9") || shape("AA99") || shape("A9A") ||
         shape("AA9A") || s == "GIR";
}

Result<std::array<std::byte, 32>> KeyedRef(const SubjectKey& key, std::string_view tag,
                                           std::string_view normalised) {
  HUB_RETURN_IF_ERROR(InitCrypto());
  if (key.secret().size() != SubjectKey::kBytes) {
    return Status::InvalidArgument("subject key is empty");
  }
  crypto_generichash_state state;
  crypto_generichash_init(&state,
                          reinterpret_cast<const unsigned char*>(key.secret().bytes().data()),
                          key.secret().size(), 32);
  crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(tag.data()), tag.size());
  const unsigned char zero = 0;
  crypto_generichash_update(&state, &zero, 1);
  crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(normalised.data()),
                            normalised.size());
  std::array<std::byte, 32> ref{};
  crypto_generichash_final(&state, reinterpret_cast<unsigned char*>(ref.data()), ref.size());
  sodium_memzero(&state, sizeof state);
  return ref;
}

}  // namespace

Result<std::string> NormaliseNhsNumber(std::string_view nhs_number) {
  std::string digits;
  for (char c : Trim(nhs_number)) {
    if (IsDigit(c)) {
      digits.push_back(c);
    } else if (c != ' ' && c != '-') {
      return Invalid("nhs_number", "may hold only digits, spaces and hyphens");
    }
  }
  if (digits.size() != 10) {
    return Invalid("nhs_number",
                   "must have exactly 10 digits, got " + std::to_string(digits.size()));
  }
  int sum = 0;
  for (int i = 0; i < 9; ++i) {
    sum += (digits[static_cast<size_t>(i)] - '0') * (10 - i);
  }
  int check = 11 - sum % 11;
  if (check == 11) {
    check = 0;
  }
  if (check == 10) {
    return Invalid("nhs_number",
                   "is not a valid NHS number: its first nine digits give check "
                   "value 10, which no NHS number has (modulus 11)");
  }
  if (check != digits[9] - '0') {
    return Invalid("nhs_number",
                   "fails the NHS modulus 11 check: the last digit is wrong; "
                   "check the number was copied correctly");
  }
  return digits;
}

Result<std::string> NormaliseFamilyName(std::string_view family_name) {
  const std::string_view in = Trim(family_name);
  std::string out;
  bool pending_space = false;
  for (size_t i = 0; i < in.size(); ++i) {
    const char c = in[i];
    const auto u = static_cast<unsigned char>(c);
    if (IsSpace(c) || c == '-') {
      pending_space = !out.empty();
      continue;
    }
    if (c == '\'' || c == '.') {
      continue;
    }
    // U+2018 and U+2019 (typographic apostrophes) are E2 80 98 / E2 80 99 in UTF-8.
    if (u == 0xE2 && i + 2 < in.size() && static_cast<unsigned char>(in[i + 1]) == 0x80 &&
        (static_cast<unsigned char>(in[i + 2]) == 0x98 ||
         static_cast<unsigned char>(in[i + 2]) == 0x99)) {
      i += 2;
      continue;
    }
    const bool ascii_letter = (c >= 'a' && c <= 'z') || IsUpper(c);
    if (!ascii_letter && u < 0x80) {
      return Invalid("family_name",
                     "may hold only letters, spaces, hyphens, apostrophes and full stops");
    }
    if (pending_space) {
      out.push_back(' ');
      pending_space = false;
    }
    out.push_back(ToUpper(c));
  }
  if (out.empty()) {
    return Invalid("family_name", "is empty");
  }
  if (out.size() > kMaxFamilyNameBytes) {
    return Invalid("family_name", "is longer than 100 bytes");
  }
  return out;
}

Result<std::string> NormaliseDateOfBirth(std::string_view date_of_birth) {
  const std::string_view in = Trim(date_of_birth);
  int year = 0;
  int month = 0;
  int day = 0;
  bool parsed = false;
  if (in.size() == 10 && in[4] == '-' && in[7] == '-') {
    parsed = ParseNumber(in.substr(0, 4), 4, 4, &year) &&
             ParseNumber(in.substr(5, 2), 2, 2, &month) && ParseNumber(in.substr(8, 2), 2, 2, &day);
  } else {
    const size_t first = in.find_first_of("/-");
    if (first != std::string_view::npos) {
      const char sep = in[first];
      const size_t second = in.find(sep, first + 1);
      if (second != std::string_view::npos &&
          in.find_first_of("/-", second + 1) == std::string_view::npos) {
        parsed = ParseNumber(in.substr(0, first), 1, 2, &day) &&
                 ParseNumber(in.substr(first + 1, second - first - 1), 1, 2, &month) &&
                 ParseNumber(in.substr(second + 1), 4, 4, &year);
      }
    }
  }
  if (!parsed) {
    return Invalid("date_of_birth", "must be YYYY-MM-DD, DD/MM/YYYY or DD-MM-YYYY");
  }
  if (year < 1850 || year > 2199 || month < 1 || month > 12 || day < 1 ||
      day > DaysInMonth(year, month)) {
    return Invalid("date_of_birth", "is not a real calendar date (year 1850 to 2199)");
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
  return std::string(buf);
}

Result<std::string> NormalisePostcode(std::string_view postcode) {
  std::string compact;
  for (char c : postcode) {
    if (IsSpace(c)) {
      continue;
    }
    compact.push_back(ToUpper(c));
  }
  if (compact.size() < 5 || compact.size() > 7) {
    return Invalid("postcode",
                   "must be a UK postcode such as SW1A 1AA (5 to 7 characters "
                   "without spaces)");
  }
  const std::string_view outward = std::string_view(compact).substr(0, compact.size() - 3);
  const std::string_view inward = std::string_view(compact).substr(compact.size() - 3);
  if (!IsDigit(inward[0]) || !IsUpper(inward[1]) || !IsUpper(inward[2]) ||
      !IsOutwardCode(outward)) {
    return Invalid("postcode", "is not shaped like a UK postcode (e.g. M1 1AE, SW1A 1AA)");
  }
  return std::string(outward) + " " + std::string(inward);
}

Result<std::string> NormaliseDemographics(std::string_view family_name,
                                          std::string_view date_of_birth,
                                          std::string_view postcode) {
  HUB_ASSIGN_OR_RETURN(std::string family, NormaliseFamilyName(family_name));
  HUB_ASSIGN_OR_RETURN(std::string dob, NormaliseDateOfBirth(date_of_birth));
  HUB_ASSIGN_OR_RETURN(std::string code, NormalisePostcode(postcode));
  return family + kSeparator + dob + kSeparator + code;
}

Result<std::array<std::byte, 32>> SubjectRefFromNhsNumber(const SubjectKey& key,
                                                          std::string_view nhs_number) {
  HUB_ASSIGN_OR_RETURN(std::string digits, NormaliseNhsNumber(nhs_number));
  return KeyedRef(key, kNhsTag, digits);
}

Result<std::array<std::byte, 32>> SubjectRefFromDemographics(const SubjectKey& key,
                                                             std::string_view family_name,
                                                             std::string_view date_of_birth,
                                                             std::string_view postcode) {
  HUB_ASSIGN_OR_RETURN(std::string normalised,
                       NormaliseDemographics(family_name, date_of_birth, postcode));
  auto ref = KeyedRef(key, kDemoTag, normalised);
  sodium_memzero(normalised.data(), normalised.size());
  return ref;
}

}  // namespace hub::wire
