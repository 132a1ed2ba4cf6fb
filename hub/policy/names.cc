#include "hub/policy/names.h"

#include <cctype>
#include <cstdio>

namespace hub::policy {
namespace {

// Strips `prefix` from a generated enum name and lower-cases the rest.
std::string ShortName(const std::string& full, std::string_view prefix, int value) {
  if (full.empty()) {
    return "unknown(" + std::to_string(value) + ")";
  }
  std::string_view rest = full;
  if (rest.substr(0, prefix.size()) == prefix) {
    rest.remove_prefix(prefix.size());
  }
  std::string out;
  out.reserve(rest.size());
  for (char c : rest) {
    out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return out;
}

std::string Upper(std::string_view name) {
  std::string out;
  out.reserve(name.size());
  for (char c : name) {
    out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  return out;
}

// Accepts "police" (short) or "AGENCY_KIND_POLICE" (full); refuses the zero value.
template <typename Enum, typename ParseFn>
std::optional<Enum> ParseShortOrFull(std::string_view name, std::string_view prefix,
                                     ParseFn parse) {
  if (name.empty()) {
    return std::nullopt;
  }
  std::string upper = Upper(name);
  Enum value{};
  if (upper.substr(0, prefix.size()) != prefix) {
    for (char c : name) {
      if (std::isupper(static_cast<unsigned char>(c))) {
        return std::nullopt;  // short names are lower case, as policy files and docs write them
      }
    }
    upper = std::string(prefix) + upper;
  } else if (name != upper) {
    return std::nullopt;  // full names are written exactly as in the schema
  }
  if (!parse(upper, &value) || static_cast<int>(value) == 0) {
    return std::nullopt;
  }
  return value;
}

}  // namespace

std::string_view ReasonCodeName(sghub::v1::ReasonCode code) {
  const std::string& full = sghub::v1::ReasonCode_Name(code);
  if (full.empty()) {
    return "UNKNOWN";
  }
  constexpr std::string_view kPrefix = "REASON_CODE_";
  std::string_view view = full;  // generated names live in static storage
  if (view.substr(0, kPrefix.size()) == kPrefix) {
    view.remove_prefix(kPrefix.size());
  }
  return view;
}

std::string AgencyKindName(sghub::v1::AgencyKind kind) {
  return ShortName(sghub::v1::AgencyKind_Name(kind), "AGENCY_KIND_", kind);
}
std::string CategoryName(sghub::v1::Category category) {
  return ShortName(sghub::v1::Category_Name(category), "CATEGORY_", category);
}
std::string OverrideBasisName(sghub::v1::OverrideBasis basis) {
  return ShortName(sghub::v1::OverrideBasis_Name(basis), "OVERRIDE_BASIS_", basis);
}
std::string PurposeName(sghub::v1::Purpose purpose) {
  return ShortName(sghub::v1::Purpose_Name(purpose), "PURPOSE_", purpose);
}
std::string ConsentStateName(sghub::v1::ConsentState state) {
  return ShortName(sghub::v1::ConsentState_Name(state), "CONSENT_STATE_", state);
}
std::string AlertKindName(sghub::v1::AlertKind kind) {
  return ShortName(sghub::v1::AlertKind_Name(kind), "ALERT_KIND_", kind);
}
std::string Art9ConditionName(sghub::v1::Art9Condition condition) {
  return ShortName(sghub::v1::Art9Condition_Name(condition), "ART9_CONDITION_", condition);
}
std::string Art6BasisName(sghub::v1::Art6Basis basis) {
  return ShortName(sghub::v1::Art6Basis_Name(basis), "ART6_BASIS_", basis);
}

std::optional<sghub::v1::AgencyKind> ParseAgencyKind(std::string_view name) {
  return ParseShortOrFull<sghub::v1::AgencyKind>(
      name, "AGENCY_KIND_", [](const std::string& s, sghub::v1::AgencyKind* v) {
        return sghub::v1::AgencyKind_Parse(s, v);
      });
}
std::optional<sghub::v1::Category> ParseCategory(std::string_view name) {
  return ParseShortOrFull<sghub::v1::Category>(
      name, "CATEGORY_",
      [](const std::string& s, sghub::v1::Category* v) { return sghub::v1::Category_Parse(s, v); });
}
std::optional<sghub::v1::OverrideBasis> ParseOverrideBasis(std::string_view name) {
  return ParseShortOrFull<sghub::v1::OverrideBasis>(
      name, "OVERRIDE_BASIS_", [](const std::string& s, sghub::v1::OverrideBasis* v) {
        return sghub::v1::OverrideBasis_Parse(s, v);
      });
}
std::optional<sghub::v1::ConsentState> ParseConsentState(std::string_view name) {
  return ParseShortOrFull<sghub::v1::ConsentState>(
      name, "CONSENT_STATE_", [](const std::string& s, sghub::v1::ConsentState* v) {
        return sghub::v1::ConsentState_Parse(s, v);
      });
}

}  // namespace hub::policy

namespace hub::policy {

std::string FormatUtcMs(int64_t ms) {
  // Floor division so times before 1970 still land on the right day.
  int64_t secs = ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
  int64_t days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
  int64_t sod = secs - days * 86400;
  // Civil date from days since 1970-01-01 (proleptic Gregorian), era-based.
  int64_t z = days + 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t y = yoe + era * 400;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  int64_t d = doy - (153 * mp + 2) / 5 + 1;
  int64_t m = mp < 10 ? mp + 3 : mp - 9;
  if (m <= 2) {
    ++y;
  }
  char buf[96];
  std::snprintf(buf, sizeof(buf), "%04lld-%02lld-%02lldT%02lld:%02lld:%02lldZ",
                static_cast<long long>(y), static_cast<long long>(m), static_cast<long long>(d),
                static_cast<long long>(sod / 3600), static_cast<long long>(sod % 3600 / 60),
                static_cast<long long>(sod % 60));
  return buf;
}

}  // namespace hub::policy
