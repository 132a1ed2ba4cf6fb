#include "adapters/codecs/nhs_number.h"

namespace hub::codecs {

std::optional<std::string> NormaliseNhsNumberForCodec(std::string_view raw) {
  std::string digits;
  for (char c : raw) {
    if (c >= '0' && c <= '9') {
      digits += c;
    } else if (c != ' ' && c != '-') {
      return std::nullopt;
    }
    if (digits.size() > 10) {
      return std::nullopt;
    }
  }
  if (digits.size() != 10) {
    return std::nullopt;
  }
  // Weights 10..2 over the first nine digits; check digit = 11 - (sum mod 11), where 11
  // means 0 and 10 means the number is invalid.
  int sum = 0;
  for (int i = 0; i < 9; ++i) {
    sum += (digits[static_cast<size_t>(i)] - '0') * (10 - i);
  }
  int check = 11 - sum % 11;
  if (check == 11) {
    check = 0;
  }
  if (check == 10 || check != digits[9] - '0') {
    return std::nullopt;
  }
  return digits;
}

}  // namespace hub::codecs
