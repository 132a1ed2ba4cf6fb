#include "hub/wire/notice.h"

#include <gtest/gtest.h>

#include <string>

#include "hub/wire/signed_message.h"
#include "tests/hub/wire/wire_test_util.h"

namespace hub::wire {
namespace {

sghub::v1::NoticeBody MakeNoticeBody() {
  sghub::v1::NoticeBody body;
  body.set_notice_id(std::string(16, 'n'));
  body.set_kind(sghub::v1::NOTICE_KIND_ESCALATION);
  body.set_to("nhs-north");
  body.set_message_id(std::string(16, 'm'));
  body.set_recipient("council-east");
  body.set_at_ms(1'700'000'000'000);
  body.set_stage(sghub::v1::ESCALATION_STAGE_NOT_ACKNOWLEDGED);
  return body;
}

class NoticeTest : public ::testing::Test {
 protected:
  NoticeTest() : hub_(testing::MakeAgency("hub", sghub::v1::AGENCY_KIND_HUB)) {}
  AgencyKeys hub_;
};

TEST_F(NoticeTest, SignedNoticeVerifies) {
  auto notice = SignNotice(MakeNoticeBody(), hub_.signing_secret());
  ASSERT_TRUE(notice.ok());
  EXPECT_EQ(notice->signature().size(), 64u);
  auto body = VerifyNotice(*notice, hub_.card().signing, Limits{});
  ASSERT_TRUE(body.ok()) << body.status().ToString();
  EXPECT_EQ(body->SerializeAsString(), MakeNoticeBody().SerializeAsString());
}

TEST_F(NoticeTest, SignatureCoversTheTaggedLengthPrefixedBody) {
  auto notice = SignNotice(MakeNoticeBody(), hub_.signing_secret());
  ASSERT_TRUE(notice.ok());
  const std::string message = NoticeSignedMessage(notice->body());
  EXPECT_EQ(message.substr(0, 16), std::string("sghub.v1.notice\0", 16));
  EXPECT_TRUE(VerifyDetached(message, notice->signature(), hub_.card().signing));
  // An envelope-tagged message over the same bytes does not verify: domains are separate.
  EXPECT_FALSE(VerifyDetached(EnvelopeSignedMessage(notice->body(), "", ""), notice->signature(),
                              hub_.card().signing));
}

TEST_F(NoticeTest, AnyTamperedBodyOrSignatureByteIsRejected) {
  auto notice = SignNotice(MakeNoticeBody(), hub_.signing_secret());
  ASSERT_TRUE(notice.ok());
  for (size_t i = 0; i < notice->body().size(); ++i) {
    sghub::v1::Notice bad = *notice;
    (*bad.mutable_body())[i] ^= 0x01;
    auto body = VerifyNotice(bad, hub_.card().signing, Limits{});
    EXPECT_TRUE(body.status().IsUnauthenticated()) << i;
    EXPECT_EQ(body.status().reason_code(), sghub::v1::REASON_CODE_BAD_SIGNATURE);
  }
  for (size_t i = 0; i < 64; ++i) {
    sghub::v1::Notice bad = *notice;
    (*bad.mutable_signature())[i] ^= 0x01;
    EXPECT_FALSE(VerifyNotice(bad, hub_.card().signing, Limits{}).ok()) << i;
  }
}

TEST_F(NoticeTest, NoticeFromAnotherKeyIsRejected) {
  const AgencyKeys impostor = testing::MakeAgency("hub", sghub::v1::AGENCY_KIND_HUB);
  auto notice = SignNotice(MakeNoticeBody(), impostor.signing_secret());
  ASSERT_TRUE(notice.ok());
  EXPECT_TRUE(VerifyNotice(*notice, hub_.card().signing, Limits{}).status().IsUnauthenticated());
}

TEST_F(NoticeTest, SignedBodyWithUnknownFieldIsRefused) {
  const std::string body = MakeNoticeBody().SerializeAsString() + std::string("\x98\x06\x01", 3);
  auto signature = SignDetached(NoticeSignedMessage(body), hub_.signing_secret());
  ASSERT_TRUE(signature.ok());
  sghub::v1::Notice notice;
  notice.set_body(body);
  notice.set_signature(*signature);
  auto parsed = VerifyNotice(notice, hub_.card().signing, Limits{});
  EXPECT_EQ(parsed.status().reason_code(), sghub::v1::REASON_CODE_UNKNOWN_FIELD);
  EXPECT_EQ(parsed.status().field(), "notice.body");
}

TEST_F(NoticeTest, DeliveryIdIsNotSigned) {
  auto notice = SignNotice(MakeNoticeBody(), hub_.signing_secret());
  ASSERT_TRUE(notice.ok());
  notice->set_delivery_id(42);
  EXPECT_TRUE(VerifyNotice(*notice, hub_.card().signing, Limits{}).ok());
}

}  // namespace
}  // namespace hub::wire
