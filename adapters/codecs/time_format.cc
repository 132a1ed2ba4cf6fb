#include "adapters/codecs/time_format.h"

#include <cstdio>

namespace hub::codecs {
namespace {

// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's civil algorithm).
int64_t DaysFromCivil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2 ? 1 : 0;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void CivilFromDays(int64_t z, int64_t* y, int64_t* m, int64_t* d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = yoe + era * 400 + (*m <= 2 ? 1 : 0);
}

bool IsLeap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int64_t DaysInMonth(int64_t y, int64_t m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

// Reads exactly `n` digits at `pos`.
bool Digits(std::string_view s, size_t pos, size_t n, int64_t* out) {
  if (pos + n > s.size()) {
    return false;
  }
  int64_t v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') {
      return false;
    }
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

struct Parsed {
  int64_t days = 0;
  int64_t ms_of_day = 0;
  int64_t offset_ms = 0;
};

bool ParseDate(std::string_view s, int64_t* days) {
  int64_t y = 0;
  int64_t m = 0;
  int64_t d = 0;
  if (s.size() < 10 || !Digits(s, 0, 4, &y) || s[4] != '-' || !Digits(s, 5, 2, &m) ||
      s[7] != '-' || !Digits(s, 8, 2, &d)) {
    return false;
  }
  if (y < 1800 || y > 2200 || m < 1 || m > 12 || d < 1 || d > DaysInMonth(y, m)) {
    return false;
  }
  *days = DaysFromCivil(y, m, d);
  return true;
}

std::optional<Parsed> Parse(std::string_view s) {
  Parsed p;
  if (!ParseDate(s, &p.days)) {
    return std::nullopt;
  }
  if (s.size() == 10) {
    return p;
  }
  int64_t hh = 0;
  int64_t mm = 0;
  int64_t ss = 0;
  int64_t frac_ms = 0;
  if (s[10] != 'T' || !Digits(s, 11, 2, &hh) || s.size() < 16 || s[13] != ':' ||
      !Digits(s, 14, 2, &mm)) {
    return std::nullopt;
  }
  size_t pos = 16;
  if (pos < s.size() && s[pos] == ':') {
    if (!Digits(s, pos + 1, 2, &ss)) {
      return std::nullopt;
    }
    pos += 3;
    if (pos < s.size() && s[pos] == '.') {
      ++pos;
      size_t start = pos;
      int64_t scale = 100;
      while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
        frac_ms += (s[pos] - '0') * scale;
        scale /= 10;
        ++pos;
      }
      if (pos == start || pos - start > 9) {
        return std::nullopt;
      }
    }
  }
  if (hh > 23 || mm > 59 || ss > 60) {  // 60: a leap second, folded into the next minute
    return std::nullopt;
  }
  if (pos >= s.size()) {
    return std::nullopt;  // a time without a zone is ambiguous: refused
  }
  if (s[pos] == 'Z' && pos + 1 == s.size()) {
    // UTC
  } else if ((s[pos] == '+' || s[pos] == '-') && s.size() == pos + 6 && s[pos + 3] == ':') {
    int64_t oh = 0;
    int64_t om = 0;
    if (!Digits(s, pos + 1, 2, &oh) || !Digits(s, pos + 4, 2, &om) || oh > 14 || om > 59) {
      return std::nullopt;
    }
    p.offset_ms = (oh * 60 + om) * 60'000 * (s[pos] == '-' ? -1 : 1);
  } else {
    return std::nullopt;
  }
  p.ms_of_day = ((hh * 60 + mm) * 60 + ss) * 1000 + frac_ms;
  return p;
}

}  // namespace

bool IsIsoDate(std::string_view s) {
  int64_t days = 0;
  return s.size() == 10 && ParseDate(s, &days);
}

bool IsIsoDateOrDateTime(std::string_view s) { return Parse(s).has_value(); }

std::optional<int64_t> ParseIsoTimestampMs(std::string_view s) {
  std::optional<Parsed> p = Parse(s);
  if (!p) {
    return std::nullopt;
  }
  return p->days * 86'400'000 + p->ms_of_day - p->offset_ms;
}

std::string FormatIsoTimestampMs(int64_t ms) {
  int64_t days = ms >= 0 ? ms / 86'400'000 : -((-ms + 86'399'999) / 86'400'000);
  int64_t rem = ms - days * 86'400'000;
  int64_t y = 0;
  int64_t m = 0;
  int64_t d = 0;
  CivilFromDays(days, &y, &m, &d);
  const int64_t h = rem / 3'600'000;
  const int64_t mi = rem / 60'000 % 60;
  const int64_t s = rem / 1000 % 60;
  const int64_t milli = rem % 1000;
  char buf[128];
  if (milli != 0) {
    std::snprintf(buf, sizeof buf, "%04lld-%02lld-%02lldT%02lld:%02lld:%02lld.%03lldZ",
                  static_cast<long long>(y), static_cast<long long>(m),
                  static_cast<long long>(d), static_cast<long long>(h),
                  static_cast<long long>(mi), static_cast<long long>(s),
                  static_cast<long long>(milli));
  } else {
    std::snprintf(buf, sizeof buf, "%04lld-%02lld-%02lldT%02lld:%02lld:%02lldZ",
                  static_cast<long long>(y), static_cast<long long>(m),
                  static_cast<long long>(d), static_cast<long long>(h),
                  static_cast<long long>(mi), static_cast<long long>(s));
  }
  return buf;
}

}  // namespace hub::codecs
