// CSV export of received alerts for council case systems that import files rather than
// JSON (Mosaic, Liquidlogic and Azeus all take CSV). RFC 4180: comma-separated, CRLF line
// ends, a header row, fields quoted when they hold a comma, quote, CR or LF, quotes doubled.
// The columns are documented in docs/adapters/council.md and never reordered: new columns
// are appended at the end.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "adapters/codecs/codec.h"
#include "hub/base/result.h"

namespace hub::codecs {

// A header row and one row per alert. Fails only when an alert cannot be written.
Result<std::string> CouncilCsvExport(std::span<const DeliveredAlert> alerts);

// One CSV field, quoted as RFC 4180 requires. A field a spreadsheet would run as a formula
// (starting with = + - @ tab or CR) is prefixed with an apostrophe first.
std::string CsvField(std::string_view value);

}  // namespace hub::codecs
