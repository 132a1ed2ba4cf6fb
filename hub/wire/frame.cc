#include "hub/wire/frame.h"

#include "hub/wire/wire_status.h"

namespace hub::wire {
namespace {

constexpr std::string_view kMagic = "SGHB";

bool IsKnownFrameType(int type) {
  return type != sghub::v1::FRAME_TYPE_UNSPECIFIED && sghub::v1::FrameType_IsValid(type);
}

}  // namespace

Result<std::string> EncodeFrame(sghub::v1::FrameType type,
                                const google::protobuf::MessageLite& payload) {
  if (!IsKnownFrameType(type)) {
    return FieldError(sghub::v1::REASON_CODE_MALFORMED_FRAME, "frame.type",
                      std::to_string(static_cast<int>(type)) + " is not a known frame type");
  }
  std::string out(kMagic);
  out.push_back(static_cast<char>(kFrameVersion));
  out.push_back(static_cast<char>(type));
  out.push_back('\0');
  out.push_back('\0');
  if (!payload.AppendToString(&out)) {
    return Status::Internal("EncodeFrame: serialising " + payload.GetTypeName() + " failed");
  }
  return out;
}

Result<DecodedFrame> DecodeFrame(ByteView frame, const Limits& limits) {
  if (frame.size() > limits.max_frame_bytes) {
    return LimitError(sghub::v1::REASON_CODE_FRAME_TOO_LARGE, "frame", "size in bytes",
                      frame.size(), "max_frame_bytes", limits.max_frame_bytes);
  }
  if (frame.size() < kFramePreambleBytes) {
    return FieldError(
        sghub::v1::REASON_CODE_MALFORMED_FRAME, "frame.preamble",
        "frame of " + std::to_string(frame.size()) + " bytes is shorter than the 8-byte preamble");
  }
  if (AsStringView(frame.first(4)) != kMagic) {
    return FieldError(sghub::v1::REASON_CODE_MALFORMED_FRAME, "frame.magic",
                      "frame does not start with \"SGHB\"");
  }
  const auto version = static_cast<uint8_t>(frame[4]);
  if (version != kFrameVersion) {
    return FieldError(sghub::v1::REASON_CODE_MALFORMED_FRAME, "frame.version",
                      "frame version " + std::to_string(version) + " is not supported (want 1)");
  }
  const auto type = static_cast<int>(frame[5]);
  if (!IsKnownFrameType(type)) {
    return FieldError(sghub::v1::REASON_CODE_MALFORMED_FRAME, "frame.type",
                      std::to_string(type) + " is not a known frame type");
  }
  if (frame[6] != std::byte{0} || frame[7] != std::byte{0}) {
    return FieldError(sghub::v1::REASON_CODE_MALFORMED_FRAME, "frame.reserved",
                      "reserved preamble bytes 6 and 7 must be zero");
  }
  return DecodedFrame{static_cast<sghub::v1::FrameType>(type),
                      AsStringView(frame.subspan(kFramePreambleBytes))};
}

}  // namespace hub::wire
