// The frame: every ZeroMQ message between an adapter and the hub is an 8-byte preamble
//   "SGHB" | version u8 = 1 | frame type u8 (sghub.v1.FrameType) | 0x00 0x00
// followed by one serialised sghub.v1 message whose type the frame type names
// (docs/wire_format.md, "Frame").
#pragma once

#include <google/protobuf/message.h>
#include <google/protobuf/message_lite.h>

#include <string>
#include <string_view>

#include "hub/base/bytes.h"
#include "hub/base/result.h"
#include "hub/wire/limits.h"
#include "hub/wire/proto_parse.h"
#include "sghub/v1/frames.pb.h"

namespace hub::wire {

inline constexpr size_t kFramePreambleBytes = 8;
inline constexpr uint8_t kFrameVersion = 1;

// Returns preamble + serialised `payload`. InvalidArgument for an unspecified or unknown
// type, Internal when serialisation fails.
Result<std::string> EncodeFrame(sghub::v1::FrameType type,
                                const google::protobuf::MessageLite& payload);

struct DecodedFrame {
  sghub::v1::FrameType type;  // a known, specified frame type
  std::string_view payload;   // points into the decoded bytes: keep them alive
};

// Checks the preamble. InvalidArgument with REASON_CODE_FRAME_TOO_LARGE (field "frame") when
// the frame exceeds limits.max_frame_bytes, else REASON_CODE_MALFORMED_FRAME with field
// "frame.preamble" (too short), "frame.magic", "frame.version", "frame.type" or
// "frame.reserved". Does not parse the payload.
Result<DecodedFrame> DecodeFrame(ByteView frame, const Limits& limits);

// Parses a frame payload as M with the recursion limit, refusing unknown fields
// (REASON_CODE_UNKNOWN_FIELD, path "payload...").
template <typename M>
Result<M> ParseFramePayload(std::string_view payload, const Limits& limits) {
  M message;
  HUB_RETURN_IF_ERROR(ParseMessageStrict(payload, limits, &message, "payload"));
  return message;
}

}  // namespace hub::wire
