#include "hub/cfg/duration.h"

#include <array>
#include <limits>

namespace hub::cfg {
namespace {

struct Unit {
  std::string_view suffix;
  int64_t ms;
};

// Longest suffix first, so "ms" is not read as "m" followed by junk.
constexpr std::array<Unit, 5> kUnits = {{
    {"ms", 1},
    {"s", 1000},
    {"m", 60 * 1000},
    {"h", 60 * 60 * 1000},
    {"d", 24 * 60 * 60 * 1000},
}};

Status NotADuration(std::string_view text) {
  return Status::InvalidArgument("\"" + std::string(text) +
                                 "\" is not a duration: write a whole number followed by one "
                                 "unit (ms, s, m, h or d), e.g. \"90s\", \"15m\", \"24h\"");
}

}  // namespace

Result<int64_t> ParseDurationMs(std::string_view text) {
  size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') {
    ++digits;
  }
  if (digits == 0) {
    return NotADuration(text);
  }
  std::string_view suffix = text.substr(digits);
  const Unit* unit = nullptr;
  for (const Unit& u : kUnits) {
    if (suffix == u.suffix) {
      unit = &u;
      break;
    }
  }
  if (unit == nullptr) {
    return NotADuration(text);
  }
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  int64_t number = 0;
  for (size_t i = 0; i < digits; ++i) {
    int64_t digit = text[i] - '0';
    if (number > (kMax - digit) / 10) {
      return Status::InvalidArgument("\"" + std::string(text) + "\" is too long a duration");
    }
    number = number * 10 + digit;
  }
  if (number > kMax / unit->ms) {
    return Status::InvalidArgument("\"" + std::string(text) + "\" is too long a duration");
  }
  return number * unit->ms;
}

std::string FormatDurationMs(int64_t ms) {
  if (ms == 0) {
    return "0ms";
  }
  for (auto it = kUnits.rbegin(); it != kUnits.rend(); ++it) {
    if (ms % it->ms == 0) {
      return std::to_string(ms / it->ms) + std::string(it->suffix);
    }
  }
  return std::to_string(ms) + "ms";  // unreachable: every integer is a whole number of ms
}

}  // namespace hub::cfg
