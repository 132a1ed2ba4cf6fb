// Durations in the configuration are strings such as "90s", "15m", "1h", "24h" or "2d": a whole
// number followed by exactly one unit. Nothing else is accepted (no fractions, signs, spaces,
// compound forms like "1h30m", or bare numbers) so that a typo cannot silently become a
// different deadline.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "hub/base/result.h"

namespace hub::cfg {

// Returns the duration in milliseconds. Units: ms, s, m (minutes), h, d (24 hours).
// InvalidArgument (message is a reason without a key) when the text is not of that form or
// does not fit in int64 milliseconds.
Result<int64_t> ParseDurationMs(std::string_view text);

// The shortest exact spelling of `ms` in the syntax above, e.g. 5400000 -> "90m", 0 -> "0ms".
// Used in error messages so that ranges read the way the operator writes them.
std::string FormatDurationMs(int64_t ms);

}  // namespace hub::cfg
