#include "hub/wire/frame.h"

#include <gtest/gtest.h>

#include <string>

namespace hub::wire {
namespace {

std::string PingFrame() {
  sghub::v1::Ping ping;
  ping.set_sent_at_ms(1234);
  auto frame = EncodeFrame(sghub::v1::FRAME_TYPE_PING, ping);
  EXPECT_TRUE(frame.ok());
  return frame.ok() ? *frame : std::string();
}

void ExpectMalformed(const std::string& frame, const std::string& field) {
  auto decoded = DecodeFrame(AsBytes(frame), Limits{});
  ASSERT_FALSE(decoded.ok()) << field;
  EXPECT_TRUE(decoded.status().IsInvalidArgument());
  EXPECT_EQ(decoded.status().reason_code(), sghub::v1::REASON_CODE_MALFORMED_FRAME);
  EXPECT_EQ(decoded.status().field(), field);
}

TEST(FrameTest, EncodesThePreambleThenThePayload) {
  const std::string frame = PingFrame();
  ASSERT_GE(frame.size(), 8u);
  EXPECT_EQ(frame.substr(0, 8), std::string("SGHB\x01\x0a\x00\x00", 8));
  sghub::v1::Ping ping;
  ping.set_sent_at_ms(1234);
  EXPECT_EQ(frame.substr(8), ping.SerializeAsString());
}

TEST(FrameTest, DecodesWhatItEncodes) {
  const std::string frame = PingFrame();
  auto decoded = DecodeFrame(AsBytes(frame), Limits{});
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded->type, sghub::v1::FRAME_TYPE_PING);
  auto ping = ParseFramePayload<sghub::v1::Ping>(decoded->payload, Limits{});
  ASSERT_TRUE(ping.ok());
  EXPECT_EQ(ping->sent_at_ms(), 1234);
}

TEST(FrameTest, EmptyPayloadIsAllowed) {
  auto frame = EncodeFrame(sghub::v1::FRAME_TYPE_PONG, sghub::v1::Pong());
  ASSERT_TRUE(frame.ok());
  EXPECT_EQ(frame->size(), 8u);
  auto decoded = DecodeFrame(AsBytes(*frame), Limits{});
  ASSERT_TRUE(decoded.ok());
  EXPECT_TRUE(decoded->payload.empty());
}

TEST(FrameTest, RefusesToEncodeUnknownType) {
  EXPECT_FALSE(EncodeFrame(sghub::v1::FRAME_TYPE_UNSPECIFIED, sghub::v1::Ping()).ok());
  EXPECT_FALSE(EncodeFrame(static_cast<sghub::v1::FrameType>(200), sghub::v1::Ping()).ok());
}

TEST(FrameTest, PreambleErrorsNameTheirField) {
  const std::string good = PingFrame();
  ExpectMalformed("", "frame.preamble");
  ExpectMalformed(good.substr(0, 7), "frame.preamble");
  std::string bad = good;
  bad[0] = 'X';
  ExpectMalformed(bad, "frame.magic");
  bad = good;
  bad[4] = 2;
  ExpectMalformed(bad, "frame.version");
  bad = good;
  bad[5] = 0;
  ExpectMalformed(bad, "frame.type");
  bad[5] = 13;
  ExpectMalformed(bad, "frame.type");
  bad = good;
  bad[6] = 1;
  ExpectMalformed(bad, "frame.reserved");
  bad = good;
  bad[7] = static_cast<char>(0x80);
  ExpectMalformed(bad, "frame.reserved");
}

TEST(FrameTest, FrameAtTheSizeLimitIsAcceptedAndOneByteMoreIsNot) {
  Limits limits;
  limits.max_frame_bytes = 64;
  std::string frame = PingFrame();
  frame.resize(64, '\0');
  EXPECT_TRUE(DecodeFrame(AsBytes(frame), limits).ok());
  frame.push_back('\0');
  auto decoded = DecodeFrame(AsBytes(frame), limits);
  EXPECT_EQ(decoded.status().reason_code(), sghub::v1::REASON_CODE_FRAME_TOO_LARGE);
  EXPECT_EQ(decoded.status().field(), "frame");
}

TEST(FrameTest, PayloadWithUnknownFieldIsRefused) {
  std::string frame = PingFrame() + std::string("\x98\x06\x01", 3);
  auto decoded = DecodeFrame(AsBytes(frame), Limits{});
  ASSERT_TRUE(decoded.ok());
  auto ping = ParseFramePayload<sghub::v1::Ping>(decoded->payload, Limits{});
  EXPECT_EQ(ping.status().reason_code(), sghub::v1::REASON_CODE_UNKNOWN_FIELD);
  EXPECT_EQ(ping.status().field(), "payload");
}

TEST(FrameTest, TruncatedPayloadIsMalformed) {
  sghub::v1::Refused refused;
  refused.set_reason("a sentence long enough to be cut in half");
  auto frame = EncodeFrame(sghub::v1::FRAME_TYPE_REFUSED, refused);
  ASSERT_TRUE(frame.ok());
  frame->resize(frame->size() - 5);
  auto decoded = DecodeFrame(AsBytes(*frame), Limits{});
  ASSERT_TRUE(decoded.ok());
  auto parsed = ParseFramePayload<sghub::v1::Refused>(decoded->payload, Limits{});
  EXPECT_EQ(parsed.status().reason_code(), sghub::v1::REASON_CODE_MALFORMED_FRAME);
}

}  // namespace
}  // namespace hub::wire
