// ISO 8601 dates and timestamps as agency documents carry them, converted to and from the
// Unix epoch milliseconds the hub's header uses. Only the forms real systems emit are
// accepted: "YYYY-MM-DD" and "YYYY-MM-DDThh:mm[:ss[.fff...]](Z|+hh:mm|-hh:mm)". No locale,
// no time zone database: offsets are applied arithmetically.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hub::codecs {

// True for a valid calendar date "YYYY-MM-DD" (years 1800..2200).
bool IsIsoDate(std::string_view s);

// True for a date, or a date-time with seconds optional and a zone required.
bool IsIsoDateOrDateTime(std::string_view s);

// Milliseconds since the epoch, or nullopt. A bare date means midnight UTC.
std::optional<int64_t> ParseIsoTimestampMs(std::string_view s);

// "YYYY-MM-DDThh:mm:ssZ", or "...ss.mmmZ" when the milliseconds are not zero.
std::string FormatIsoTimestampMs(int64_t ms);

}  // namespace hub::codecs
