// Parsing untrusted protobuf bytes: size-bounded, depth-bounded, unknown fields refused.
#pragma once

#include <google/protobuf/message.h>

#include <string_view>

#include "hub/base/status.h"
#include "hub/wire/limits.h"

namespace hub::wire {

// Parses `bytes` into `*out` (cleared first) with CodedInputStream's recursion limit set to
// limits.parse_depth, then refuses unknown fields anywhere in the result. Errors are
// InvalidArgument: REASON_CODE_FRAME_TOO_LARGE when bytes exceed limits.max_frame_bytes,
// REASON_CODE_MALFORMED_FRAME when the bytes do not parse (too deep, truncated, wrong wire
// type), REASON_CODE_UNKNOWN_FIELD from RejectUnknownFields. `path` names the message.
Status ParseMessageStrict(std::string_view bytes, const Limits& limits,
                          google::protobuf::Message* out, std::string_view path);

}  // namespace hub::wire
