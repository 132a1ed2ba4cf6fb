#include "hub/wire/envelope.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "hub/wire/limits.h"
#include "hub/wire/signed_message.h"
#include "tests/hub/wire/wire_test_util.h"

namespace hub::wire {
namespace {

using testing::BuildEnvelopeUnchecked;
using testing::MakeAgency;
using testing::MakeBody;
using testing::MakeHeader;
using testing::SealKeysFor;

class EnvelopeTest : public ::testing::Test {
 protected:
  EnvelopeTest()
      : sender_(MakeAgency("nhs-north", sghub::v1::AGENCY_KIND_NHS_MH)),
        council_(MakeAgency("council-east", sghub::v1::AGENCY_KIND_COUNCIL)),
        police_(MakeAgency("police-west", sghub::v1::AGENCY_KIND_POLICE)),
        header_(MakeHeader("nhs-north", {"council-east", "police-west"})),
        body_(MakeBody(header_)) {}

  std::string Seal() {
    const auto keys = SealKeysFor({&council_, &police_});
    auto sealed = SealEnvelope(header_, body_, keys, sender_.signing_secret());
    EXPECT_TRUE(sealed.ok()) << sealed.status().ToString();
    return sealed.ok() ? *sealed : std::string();
  }

  // Parse, verify and open as both recipients; OK only if every step succeeds and both
  // bodies equal the original.
  Status Receive(const std::string& bytes) {
    HUB_ASSIGN_OR_RETURN(ParsedEnvelope parsed, ParseEnvelope(AsBytes(bytes), Limits{}));
    HUB_RETURN_IF_ERROR(VerifyEnvelopeSignature(parsed, sender_.card().signing));
    for (const AgencyKeys* r : {&council_, &police_}) {
      HUB_ASSIGN_OR_RETURN(
          sghub::v1::AlertBody body,
          OpenEnvelope(parsed, r->card().id, r->sealing_secret(), r->card().sealing));
      if (body.SerializeAsString() != body_.SerializeAsString()) {
        return Status::Internal("opened body differs from the sealed one");
      }
    }
    return Status::Ok();
  }

  // Re-serialises `bytes` with `edit` applied to the Envelope message.
  template <typename Edit>
  static std::string EditEnvelope(const std::string& bytes, Edit edit) {
    sghub::v1::Envelope env;
    EXPECT_TRUE(env.ParseFromString(bytes));
    edit(env);
    return env.SerializeAsString();
  }

  AgencyKeys sender_;
  AgencyKeys council_;
  AgencyKeys police_;
  sghub::v1::Header header_;
  sghub::v1::AlertBody body_;
};

TEST_F(EnvelopeTest, SealedEnvelopeVerifiesAndOpensForEveryRecipient) {
  const std::string sealed = Seal();
  EXPECT_TRUE(Receive(sealed).ok()) << Receive(sealed).ToString();

  auto parsed = ParseEnvelope(AsBytes(sealed), Limits{});
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->header.sender(), "nhs-north");
  ASSERT_EQ(parsed->envelope.keys_size(), 2);
  EXPECT_EQ(parsed->envelope.keys(0).recipient(), "council-east");
  EXPECT_EQ(parsed->envelope.keys(1).recipient(), "police-west");
  EXPECT_EQ(parsed->envelope.keys(0).sealed_key().size(), kSealedKeyBytes);
  EXPECT_EQ(parsed->envelope.body_nonce().size(), kBodyNonceBytes);
}

TEST_F(EnvelopeTest, TwoSealsOfTheSameAlertUseFreshKeysAndNonces) {
  const std::string a = Seal();
  const std::string b = Seal();
  auto pa = ParseEnvelope(AsBytes(a), Limits{});
  auto pb = ParseEnvelope(AsBytes(b), Limits{});
  ASSERT_TRUE(pa.ok() && pb.ok());
  EXPECT_EQ(pa->envelope.header(), pb->envelope.header());
  EXPECT_NE(pa->envelope.body_nonce(), pb->envelope.body_nonce());
  EXPECT_NE(pa->envelope.body_ciphertext(), pb->envelope.body_ciphertext());
  EXPECT_NE(pa->envelope.keys(0).sealed_key(), pb->envelope.keys(0).sealed_key());
}

TEST_F(EnvelopeTest, AnyFlippedByteOfTheSignedRegionIsRejected) {
  const std::string sealed = Seal();
  sghub::v1::Envelope original;
  ASSERT_TRUE(original.ParseFromString(sealed));
  int checked = 0;
  // Every byte of the header bytes, the nonce and the ciphertext, with two flip patterns.
  for (int field = 0; field < 3; ++field) {
    const std::string& region = field == 0   ? original.header()
                                : field == 1 ? original.body_nonce()
                                             : original.body_ciphertext();
    for (size_t i = 0; i < region.size(); ++i) {
      for (int mask : {0x01, 0xff}) {
        std::string tampered = region;
        tampered[i] = static_cast<char>(static_cast<unsigned char>(tampered[i]) ^ mask);
        const std::string bytes = EditEnvelope(sealed, [&](sghub::v1::Envelope& env) {
          if (field == 0) {
            env.set_header(tampered);
          } else if (field == 1) {
            env.set_body_nonce(tampered);
          } else {
            env.set_body_ciphertext(tampered);
          }
        });
        auto parsed = ParseEnvelope(AsBytes(bytes), Limits{});
        if (parsed.ok()) {
          const Status verified = VerifyEnvelopeSignature(*parsed, sender_.card().signing);
          ASSERT_FALSE(verified.ok()) << "field " << field << " byte " << i << " accepted";
          EXPECT_TRUE(verified.IsUnauthenticated());
          EXPECT_EQ(verified.reason_code(), sghub::v1::REASON_CODE_BAD_SIGNATURE);
        }
        ++checked;
      }
    }
  }
  EXPECT_GT(checked, 2 * (100 + 24 + 100));
}

TEST_F(EnvelopeTest, AnyFlippedByteOfTheWholeEnvelopeFailsSomeStep) {
  const std::string sealed = Seal();
  ASSERT_TRUE(Receive(sealed).ok());
  for (size_t i = 0; i < sealed.size(); ++i) {
    std::string tampered = sealed;
    tampered[i] = static_cast<char>(static_cast<unsigned char>(tampered[i]) ^ 0x01);
    EXPECT_FALSE(Receive(tampered).ok()) << "byte " << i << " of " << sealed.size();
  }
}

TEST_F(EnvelopeTest, WrongSenderKeyFailsVerification) {
  const std::string sealed = Seal();
  auto parsed = ParseEnvelope(AsBytes(sealed), Limits{});
  ASSERT_TRUE(parsed.ok());
  const Status s = VerifyEnvelopeSignature(*parsed, council_.card().signing);
  EXPECT_TRUE(s.IsUnauthenticated());
  EXPECT_EQ(s.reason_code(), sghub::v1::REASON_CODE_BAD_SIGNATURE);
  EXPECT_EQ(s.field(), "envelope.signature");
}

TEST_F(EnvelopeTest, RecipientNotAddressedCannotOpenTheBody) {
  const AgencyKeys outsider = MakeAgency("council-west", sghub::v1::AGENCY_KIND_COUNCIL);
  auto parsed = ParseEnvelope(AsBytes(Seal()), Limits{});
  ASSERT_TRUE(parsed.ok());
  auto opened =
      OpenEnvelope(*parsed, "council-west", outsider.sealing_secret(), outsider.card().sealing);
  ASSERT_FALSE(opened.ok());
  EXPECT_TRUE(opened.status().IsPermissionDenied());
  EXPECT_NE(opened.status().message().find("council-west"), std::string::npos);
  EXPECT_EQ(opened.status().reason_code(), sghub::v1::REASON_CODE_UNKNOWN_RECIPIENT);

  // Nor with its own key while claiming to be an addressed recipient.
  auto claimed =
      OpenEnvelope(*parsed, "council-east", outsider.sealing_secret(), outsider.card().sealing);
  EXPECT_TRUE(claimed.status().IsUnauthenticated()) << claimed.status().ToString();
}

TEST_F(EnvelopeTest, WrongRecipientKeyCannotOpen) {
  auto parsed = ParseEnvelope(AsBytes(Seal()), Limits{});
  ASSERT_TRUE(parsed.ok());
  // The police key is a real recipient key, but not the council's.
  auto opened =
      OpenEnvelope(*parsed, "council-east", police_.sealing_secret(), police_.card().sealing);
  ASSERT_FALSE(opened.ok());
  EXPECT_TRUE(opened.status().IsUnauthenticated());
}

TEST_F(EnvelopeTest, SwappedWrappedKeysCannotBeOpened) {
  const std::string bytes = EditEnvelope(Seal(), [](sghub::v1::Envelope& env) {
    std::string first = env.keys(0).sealed_key();
    env.mutable_keys(0)->set_sealed_key(env.keys(1).sealed_key());
    env.mutable_keys(1)->set_sealed_key(first);
  });
  auto parsed = ParseEnvelope(AsBytes(bytes), Limits{});
  ASSERT_TRUE(parsed.ok());
  EXPECT_TRUE(VerifyEnvelopeSignature(*parsed, sender_.card().signing).ok());
  EXPECT_FALSE(
      OpenEnvelope(*parsed, "council-east", council_.sealing_secret(), council_.card().sealing)
          .ok());
}

TEST_F(EnvelopeTest, UnknownFieldInHeaderIsRefusedEvenWhenProperlySigned) {
  std::string header_bytes = header_.SerializeAsString();
  // Field 99, varint, value 1: tag (99 << 3 | 0) = 792 = 0x98 0x06.
  header_bytes += std::string("\x98\x06\x01", 3);
  const std::string bytes =
      BuildEnvelopeUnchecked(header_bytes, body_.SerializeAsString(),
                             SealKeysFor({&council_, &police_}), sender_.signing_secret());
  auto parsed = ParseEnvelope(AsBytes(bytes), Limits{});
  ASSERT_FALSE(parsed.ok());
  EXPECT_TRUE(parsed.status().IsInvalidArgument());
  EXPECT_EQ(parsed.status().reason_code(), sghub::v1::REASON_CODE_UNKNOWN_FIELD);
  EXPECT_EQ(parsed.status().field(), "header");
  EXPECT_NE(parsed.status().message().find("99"), std::string::npos);
}

TEST_F(EnvelopeTest, UnknownFieldNestedInHeaderConsentIsRefused) {
  std::string header_bytes = header_.SerializeAsString();
  // A second occurrence of field 12 (consent, length-delimited) merges into the first; it
  // holds field 50 varint 1: tag (50 << 3) = 400 = 0x90 0x03.
  header_bytes += std::string("\x62\x03\x90\x03\x01", 5);
  const std::string bytes =
      BuildEnvelopeUnchecked(header_bytes, body_.SerializeAsString(),
                             SealKeysFor({&council_, &police_}), sender_.signing_secret());
  auto parsed = ParseEnvelope(AsBytes(bytes), Limits{});
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().reason_code(), sghub::v1::REASON_CODE_UNKNOWN_FIELD);
  EXPECT_EQ(parsed.status().field(), "header.consent");
}

TEST_F(EnvelopeTest, UnknownFieldInEnvelopeIsRefused) {
  std::string bytes = Seal();
  bytes += std::string("\x98\x06\x01", 3);
  auto parsed = ParseEnvelope(AsBytes(bytes), Limits{});
  EXPECT_EQ(parsed.status().reason_code(), sghub::v1::REASON_CODE_UNKNOWN_FIELD);
  EXPECT_EQ(parsed.status().field(), "envelope");
}

TEST_F(EnvelopeTest, BodyThatDisagreesWithTheHeaderIsRefusedOnOpen) {
  sghub::v1::AlertBody forwarded = body_;
  forwarded.set_sender("police-west");
  const std::string bytes =
      BuildEnvelopeUnchecked(header_.SerializeAsString(), forwarded.SerializeAsString(),
                             SealKeysFor({&council_, &police_}), sender_.signing_secret());
  auto parsed = ParseEnvelope(AsBytes(bytes), Limits{});
  ASSERT_TRUE(parsed.ok());
  ASSERT_TRUE(VerifyEnvelopeSignature(*parsed, sender_.card().signing).ok());
  auto opened =
      OpenEnvelope(*parsed, "council-east", council_.sealing_secret(), council_.card().sealing);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().field(), "body.sender");
}

TEST_F(EnvelopeTest, UnknownFieldInBodyIsRefusedOnOpen) {
  std::string body_bytes = body_.SerializeAsString() + std::string("\x98\x06\x01", 3);
  const std::string bytes =
      BuildEnvelopeUnchecked(header_.SerializeAsString(), body_bytes,
                             SealKeysFor({&council_, &police_}), sender_.signing_secret());
  auto parsed = ParseEnvelope(AsBytes(bytes), Limits{});
  ASSERT_TRUE(parsed.ok());
  auto opened =
      OpenEnvelope(*parsed, "council-east", council_.sealing_secret(), council_.card().sealing);
  EXPECT_EQ(opened.status().reason_code(), sghub::v1::REASON_CODE_UNKNOWN_FIELD);
  EXPECT_EQ(opened.status().field(), "body");
}

TEST_F(EnvelopeTest, SealRefusesBodyThatDisagreesWithHeader) {
  sghub::v1::AlertBody body = body_;
  body.set_message_id(std::string(16, 'x'));
  auto sealed =
      SealEnvelope(header_, body, SealKeysFor({&council_, &police_}), sender_.signing_secret());
  EXPECT_EQ(sealed.status().field(), "body.message_id");

  body = body_;
  body.clear_recipients();
  body.add_recipients("council-east");
  sealed =
      SealEnvelope(header_, body, SealKeysFor({&council_, &police_}), sender_.signing_secret());
  EXPECT_EQ(sealed.status().field(), "body.recipients");
}

TEST_F(EnvelopeTest, SealRefusesRecipientKeysThatDoNotMatchTheHeader) {
  const AgencyKeys outsider = MakeAgency("council-west", sghub::v1::AGENCY_KIND_COUNCIL);
  auto sealed =
      SealEnvelope(header_, body_, SealKeysFor({&council_, &outsider}), sender_.signing_secret());
  ASSERT_FALSE(sealed.ok());
  EXPECT_EQ(sealed.status().reason_code(), sghub::v1::REASON_CODE_MISSING_RECIPIENT_KEY);
  EXPECT_EQ(sealed.status().field(), "header.recipients[1]");

  sealed = SealEnvelope(header_, body_, SealKeysFor({&council_}), sender_.signing_secret());
  EXPECT_FALSE(sealed.ok());
}

TEST_F(EnvelopeTest, WrappedKeysMayBeGivenInAnyOrder) {
  auto sealed =
      SealEnvelope(header_, body_, SealKeysFor({&police_, &council_}), sender_.signing_secret());
  ASSERT_TRUE(sealed.ok());
  EXPECT_TRUE(Receive(*sealed).ok());
}

TEST_F(EnvelopeTest, MissingWrappedKeyIsRefused) {
  const std::string bytes =
      EditEnvelope(Seal(), [](sghub::v1::Envelope& env) { env.mutable_keys()->RemoveLast(); });
  auto parsed = ParseEnvelope(AsBytes(bytes), Limits{});
  EXPECT_EQ(parsed.status().reason_code(), sghub::v1::REASON_CODE_MISSING_RECIPIENT_KEY);
  EXPECT_EQ(parsed.status().field(), "envelope.keys");
}

TEST_F(EnvelopeTest, EnvelopeFieldSizesAreChecked) {
  struct Case {
    void (*edit)(sghub::v1::Envelope&);
    const char* field;
  };
  const Case cases[] = {
      {[](sghub::v1::Envelope& e) { e.set_body_nonce(std::string(23, 'n')); },
       "envelope.body_nonce"},
      {[](sghub::v1::Envelope& e) { e.set_signature(std::string(63, 's')); }, "envelope.signature"},
      {[](sghub::v1::Envelope& e) { e.set_body_ciphertext("short"); }, "envelope.body_ciphertext"},
      {[](sghub::v1::Envelope& e) { e.mutable_keys(1)->set_sealed_key(std::string(79, 'k')); },
       "envelope.keys[1].sealed_key"},
      {[](sghub::v1::Envelope& e) { e.mutable_keys(1)->set_recipient("council-east"); },
       "envelope.keys[1].recipient"},
      {[](sghub::v1::Envelope& e) { e.mutable_keys(0)->set_recipient("stranger"); },
       "envelope.keys[0].recipient"},
      {[](sghub::v1::Envelope& e) { e.clear_header(); }, "envelope.header"},
  };
  const std::string sealed = Seal();
  for (const Case& c : cases) {
    auto parsed = ParseEnvelope(AsBytes(EditEnvelope(sealed, c.edit)), Limits{});
    ASSERT_FALSE(parsed.ok()) << c.field;
    EXPECT_TRUE(parsed.status().IsInvalidArgument()) << c.field;
    EXPECT_EQ(parsed.status().field(), c.field);
  }
}

TEST_F(EnvelopeTest, GarbageIsAMalformedFrame) {
  const std::string garbage = "\xff\xff\xff\xff this is not protobuf";
  auto parsed = ParseEnvelope(AsBytes(garbage), Limits{});
  EXPECT_EQ(parsed.status().reason_code(), sghub::v1::REASON_CODE_MALFORMED_FRAME);
  EXPECT_EQ(parsed.status().field(), "envelope");
}

}  // namespace
}  // namespace hub::wire
