// Frame decoding: any bytes a peer sends go through DecodeFrame and then the strict payload
// parser of the frame's type. Whatever parses must re-encode and decode to the same type.
#include <cstddef>
#include <cstdint>
#include <string>

#include "hub/base/bytes.h"
#include "hub/wire/frame.h"
#include "hub/wire/limits.h"
#include "sghub/v1/frames.pb.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

template <typename M>
void ParseAndRoundTrip(sghub::v1::FrameType type, std::string_view payload,
                       const hub::wire::Limits& limits) {
  auto parsed = hub::wire::ParseFramePayload<M>(payload, limits);
  if (!parsed.ok()) {
    return;
  }
  auto encoded = hub::wire::EncodeFrame(type, *parsed);
  FUZZ_CHECK(encoded.ok());
  auto again = hub::wire::DecodeFrame(hub::AsBytes(*encoded), limits);
  if (encoded->size() <= limits.max_frame_bytes) {
    FUZZ_CHECK(again.ok());
    FUZZ_CHECK(again->type == type);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const hub::wire::Limits limits;
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto frame = hub::wire::DecodeFrame(hub::AsBytes(bytes), limits);
  if (!frame.ok()) {
    return 0;
  }
  using sghub::v1::FrameType;
  switch (frame->type) {
    case sghub::v1::FRAME_TYPE_HELLO:
      ParseAndRoundTrip<sghub::v1::Hello>(frame->type, frame->payload, limits);
      break;
    case sghub::v1::FRAME_TYPE_WELCOME:
      ParseAndRoundTrip<sghub::v1::Welcome>(frame->type, frame->payload, limits);
      break;
    case sghub::v1::FRAME_TYPE_SUBMIT:
      ParseAndRoundTrip<sghub::v1::Submit>(frame->type, frame->payload, limits);
      break;
    case sghub::v1::FRAME_TYPE_ACCEPTED:
      ParseAndRoundTrip<sghub::v1::Accepted>(frame->type, frame->payload, limits);
      break;
    case sghub::v1::FRAME_TYPE_REFUSED:
      ParseAndRoundTrip<sghub::v1::Refused>(frame->type, frame->payload, limits);
      break;
    case sghub::v1::FRAME_TYPE_DELIVER:
      ParseAndRoundTrip<sghub::v1::Deliver>(frame->type, frame->payload, limits);
      break;
    case sghub::v1::FRAME_TYPE_ACK:
      ParseAndRoundTrip<sghub::v1::Ack>(frame->type, frame->payload, limits);
      break;
    case sghub::v1::FRAME_TYPE_NACK:
      ParseAndRoundTrip<sghub::v1::Nack>(frame->type, frame->payload, limits);
      break;
    case sghub::v1::FRAME_TYPE_NOTICE:
      ParseAndRoundTrip<sghub::v1::Notice>(frame->type, frame->payload, limits);
      break;
    case sghub::v1::FRAME_TYPE_PING:
      ParseAndRoundTrip<sghub::v1::Ping>(frame->type, frame->payload, limits);
      break;
    case sghub::v1::FRAME_TYPE_PONG:
      ParseAndRoundTrip<sghub::v1::Pong>(frame->type, frame->payload, limits);
      break;
    case sghub::v1::FRAME_TYPE_ERROR:
      ParseAndRoundTrip<sghub::v1::Error>(frame->type, frame->payload, limits);
      break;
    default:
      // DecodeFrame promises a known, specified type.
      FUZZ_CHECK(false);
  }
  return 0;
}
