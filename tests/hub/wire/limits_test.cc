// Every limit in Limits is enforced with its reason code, its field path and a message that
// names the limit and the value seen.
#include "hub/wire/limits.h"

#include <gtest/gtest.h>

#include <string>

#include "hub/wire/envelope.h"
#include "hub/wire/frame.h"
#include "hub/wire/notice.h"
#include "tests/hub/wire/wire_test_util.h"

namespace hub::wire {
namespace {

using testing::BuildEnvelopeUnchecked;
using testing::MakeAgency;
using testing::MakeBody;
using testing::MakeHeader;
using testing::SealKeysFor;

void ExpectLimitError(const Status& s, sghub::v1::ReasonCode reason, const std::string& field,
                      const std::string& limit_name, const std::string& seen) {
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(s.IsInvalidArgument()) << s.ToString();
  EXPECT_EQ(s.reason_code(), reason) << s.ToString();
  EXPECT_EQ(s.field(), field) << s.ToString();
  EXPECT_NE(s.message().find(limit_name), std::string::npos) << s.message();
  EXPECT_NE(s.message().find(seen), std::string::npos) << s.message();
}

class LimitsTest : public ::testing::Test {
 protected:
  LimitsTest()
      : sender_(MakeAgency("nhs-north", sghub::v1::AGENCY_KIND_NHS_MH)),
        council_(MakeAgency("council-east", sghub::v1::AGENCY_KIND_COUNCIL)) {}

  std::string Unchecked(const sghub::v1::Header& header) {
    std::vector<RecipientSealKey> keys;
    for (const auto& r : header.recipients()) {
      keys.push_back({r, council_.card().sealing});
    }
    return BuildEnvelopeUnchecked(header.SerializeAsString(), MakeBody(header).SerializeAsString(),
                                  keys, sender_.signing_secret());
  }

  AgencyKeys sender_;
  AgencyKeys council_;
};

TEST_F(LimitsTest, DefaultsAreTheDocumentedValues) {
  const Limits limits;
  EXPECT_EQ(limits.max_frame_bytes, 256u * 1024);
  EXPECT_EQ(limits.max_header_bytes, 8u * 1024);
  EXPECT_EQ(limits.max_recipients, 16u);
  EXPECT_EQ(limits.max_subject_refs, 8u);
  EXPECT_EQ(limits.max_body_bytes, 192u * 1024);
  EXPECT_EQ(limits.parse_depth, 16);
}

TEST_F(LimitsTest, FrameLargerThanMaxFrameBytesIsRefused) {
  const std::string frame(Limits{}.max_frame_bytes + 1, 'x');
  ExpectLimitError(DecodeFrame(AsBytes(frame), Limits{}).status(),
                   sghub::v1::REASON_CODE_FRAME_TOO_LARGE, "frame", "max_frame_bytes = 262144",
                   "262145");
}

TEST_F(LimitsTest, EnvelopeLargerThanMaxFrameBytesIsRefused) {
  const std::string bytes = Unchecked(MakeHeader("nhs-north", {"council-east"}));
  Limits limits;
  limits.max_frame_bytes = 100;
  ExpectLimitError(ParseEnvelope(AsBytes(bytes), limits).status(),
                   sghub::v1::REASON_CODE_FRAME_TOO_LARGE, "envelope", "max_frame_bytes = 100",
                   std::to_string(bytes.size()));
}

TEST_F(LimitsTest, HeaderLargerThanMaxHeaderBytesIsRefused) {
  sghub::v1::Header header = MakeHeader("nhs-north", {"council-east"});
  header.mutable_consent()->mutable_decision()->set_reason(std::string(9000, 'r'));
  const std::string bytes = Unchecked(header);
  ExpectLimitError(ParseEnvelope(AsBytes(bytes), Limits{}).status(),
                   sghub::v1::REASON_CODE_HEADER_TOO_LARGE, "envelope.header",
                   "max_header_bytes = 8192", std::to_string(header.ByteSizeLong()));
  auto sealed =
      SealEnvelope(header, MakeBody(header), SealKeysFor({&council_}), sender_.signing_secret());
  EXPECT_EQ(sealed.status().reason_code(), sghub::v1::REASON_CODE_HEADER_TOO_LARGE);
}

TEST_F(LimitsTest, TooManyRecipientsIsRefused) {
  std::vector<std::string> recipients;
  for (int i = 0; i < 17; ++i) {
    recipients.push_back("council-" + std::to_string(i));
  }
  const sghub::v1::Header header = MakeHeader("nhs-north", recipients);
  ExpectLimitError(ParseEnvelope(AsBytes(Unchecked(header)), Limits{}).status(),
                   sghub::v1::REASON_CODE_TOO_MANY_RECIPIENTS, "header.recipients",
                   "max_recipients = 16", "17");

  // Exactly at the limit is fine.
  recipients.pop_back();
  EXPECT_TRUE(
      ParseEnvelope(AsBytes(Unchecked(MakeHeader("nhs-north", recipients))), Limits{}).ok());
}

TEST_F(LimitsTest, TooManySubjectRefsIsRefused) {
  sghub::v1::Header header = MakeHeader("nhs-north", {"council-east"});
  for (int i = 0; i < 8; ++i) {
    header.add_subject_refs(std::string(32, static_cast<char>('a' + i)));
  }
  ExpectLimitError(ParseEnvelope(AsBytes(Unchecked(header)), Limits{}).status(),
                   sghub::v1::REASON_CODE_TOO_MANY_SUBJECT_REFS, "header.subject_refs",
                   "max_subject_refs = 8", "9");
}

TEST_F(LimitsTest, BodyLargerThanMaxBodyBytesIsRefused) {
  const sghub::v1::Header header = MakeHeader("nhs-north", {"council-east"});
  sghub::v1::AlertBody body = MakeBody(header);
  body.mutable_incident()->set_summary(std::string(Limits{}.max_body_bytes, 's'));
  auto sealed = SealEnvelope(header, body, SealKeysFor({&council_}), sender_.signing_secret());
  ExpectLimitError(sealed.status(), sghub::v1::REASON_CODE_FRAME_TOO_LARGE, "body",
                   "max_body_bytes = 196608", std::to_string(body.ByteSizeLong()));

  const std::string bytes =
      BuildEnvelopeUnchecked(header.SerializeAsString(), body.SerializeAsString(),
                             SealKeysFor({&council_}), sender_.signing_secret());
  ExpectLimitError(ParseEnvelope(AsBytes(bytes), Limits{}).status(),
                   sghub::v1::REASON_CODE_FRAME_TOO_LARGE, "envelope.body_ciphertext",
                   "max_body_bytes = 196608", std::to_string(body.ByteSizeLong()));
}

TEST_F(LimitsTest, NestingDeeperThanParseDepthIsRefused) {
  const std::string bytes = Unchecked(MakeHeader("nhs-north", {"council-east"}));
  Limits limits;
  limits.parse_depth = 1;  // the header's consent.scope is nested two levels deep
  auto parsed = ParseEnvelope(AsBytes(bytes), limits);
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().reason_code(), sghub::v1::REASON_CODE_MALFORMED_FRAME);
  EXPECT_EQ(parsed.status().field(), "header");
  EXPECT_NE(parsed.status().message().find("parse_depth = 1"), std::string::npos);

  // 100 nested groups (field 99, start tag 0x9b 0x06, end tag 0x9c 0x06) exceed the default
  // depth of 16 and are refused while parsing, before the unknown-field check.
  std::string deep;
  for (int i = 0; i < 100; ++i) {
    deep += "\x9b\x06";
  }
  for (int i = 0; i < 100; ++i) {
    deep += "\x9c\x06";
  }
  auto payload = ParseFramePayload<sghub::v1::Envelope>(deep, Limits{});
  ASSERT_FALSE(payload.ok());
  EXPECT_EQ(payload.status().reason_code(), sghub::v1::REASON_CODE_MALFORMED_FRAME)
      << payload.status().ToString();
  EXPECT_EQ(payload.status().field(), "payload");
}

TEST_F(LimitsTest, NoticeBodyLargerThanMaxFrameBytesIsRefused) {
  sghub::v1::Notice notice;
  notice.set_body(std::string(300, 'b'));
  notice.set_signature(std::string(64, 's'));
  Limits limits;
  limits.max_frame_bytes = 200;
  ExpectLimitError(VerifyNotice(notice, sender_.card().signing, limits).status(),
                   sghub::v1::REASON_CODE_FRAME_TOO_LARGE, "notice.body", "max_frame_bytes = 200",
                   "300");
}

}  // namespace
}  // namespace hub::wire
