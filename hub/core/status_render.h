// The status socket's answers, rendered from a StatusSnapshot: the JSON document for
// "status", the Prometheus text exposition (format 0.0.4) for "metrics", and the JSON error
// object for requests the server refuses. Pure functions: no I/O, no clock, never throw.
//
// The JSON document (documented field by field in docs/operations.md) has
// "status_format": 1; fields are only ever added to it, so clients ignore what they do not
// know.
#pragma once

#include <string>
#include <string_view>

#include "hub/core/status_snapshot.h"

namespace hub::core {

inline constexpr int kStatusFormatVersion = 1;

// The "status" answer: one JSON object, indented, ending in a newline.
std::string RenderStatusJson(const StatusSnapshot& snapshot);

// The "metrics" answer: Prometheus text, a HELP and a TYPE line before every metric family.
std::string RenderStatusMetrics(const StatusSnapshot& snapshot);

// {"error": message, "code": code} and a newline. `code` is a stable word for scripts:
// bad_request, request_too_large, busy, internal.
std::string RenderStatusError(std::string_view code, std::string_view message);

}  // namespace hub::core
