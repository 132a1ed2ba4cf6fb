#include "adapters/codecs/council_json_codec.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "tests/adapters/codecs/codec_test_util.h"

namespace hub::codecs {
namespace {

using ::testing::Contains;
using testing::ExamplesDir;
using ::testing::Field;
using testing::Fields;
using testing::ReadFileOrFail;
using testing::Without;

class CouncilJsonCodecTest : public ::testing::Test {
 protected:
  std::string Example(const char* name) { return ReadFileOrFail(ExamplesDir() / name); }
  CouncilJsonCodec codec_;
};

TEST_F(CouncilJsonCodecTest, DecodesTheConcernExample) {
  DecodeResult r = codec_.Decode(Example("council-concern.json"));
  ASSERT_TRUE(r.ok()) << FormatFieldErrors(r.errors);
  const InboundAlert& a = *r.alert;
  EXPECT_EQ(a.kind, sghub::v1::ALERT_KIND_CONCERN);
  EXPECT_EQ(a.category, sghub::v1::CATEGORY_TARGETED_HOSTILITY);
  EXPECT_EQ(a.urgency, sghub::v1::URGENCY_URGENT);
  EXPECT_EQ(a.expires_in_ms, 2880 * 60'000);
  EXPECT_EQ(a.recipients, (std::vector<std::string>{"police.north", "nhs.north-trust"}));
  EXPECT_EQ(a.consent.state(), sghub::v1::CONSENT_STATE_NOT_SOUGHT);
  EXPECT_EQ(a.consent.not_sought_reason(), sghub::v1::NOT_SOUGHT_REASON_WOULD_INCREASE_RISK);
  EXPECT_EQ(a.consent.override_basis(), sghub::v1::OVERRIDE_BASIS_RISK_TO_OTHERS);
  EXPECT_EQ(a.consent.decision().decided_at_ms(), 1'710'493'800'000);
  EXPECT_EQ(a.consent.decision().person_told(), sghub::v1::PERSON_TOLD_AFTER);
  EXPECT_EQ(a.lawful_basis.art9(), sghub::v1::ART9_CONDITION_SCH1_PARA18_SAFEGUARDING);
  EXPECT_EQ(a.body.person().nhs_number(), "9434765919");
  EXPECT_TRUE(a.body.incident().hate_incident());
  EXPECT_FALSE(a.body.voice().aware_of_referral());
  ASSERT_EQ(a.body.risks_size(), 1);
  EXPECT_TRUE(a.body.risks(0).others_at_risk());
  EXPECT_EQ(a.body.practitioner().organisation(), "Northtown Council Adult Social Care");
  EXPECT_EQ(a.body.source_system(), "Mosaic");
}

TEST_F(CouncilJsonCodecTest, RoundTripsEveryExample) {
  for (const char* name : {"council-concern.json", "council-s42-outcome.json"}) {
    SCOPED_TRACE(name);
    DecodeResult first = codec_.Decode(Example(name));
    ASSERT_TRUE(first.ok()) << FormatFieldErrors(first.errors);
    Result<std::string> encoded = codec_.Encode(testing::Deliver(*first.alert, "council.north"));
    ASSERT_TRUE(encoded.ok()) << encoded.status().ToString();
    DecodeResult second = codec_.Decode(*encoded);
    ASSERT_TRUE(second.ok()) << FormatFieldErrors(second.errors) << *encoded;
    testing::ExpectSameAlert(*first.alert, *second.alert);
  }
}

TEST_F(CouncilJsonCodecTest, DecodesTheS42Outcome) {
  DecodeResult r = codec_.Decode(Example("council-s42-outcome.json"));
  ASSERT_TRUE(r.ok()) << FormatFieldErrors(r.errors);
  EXPECT_EQ(r.alert->kind, sghub::v1::ALERT_KIND_OUTCOME);
  EXPECT_EQ(r.alert->outcome_code, sghub::v1::OUTCOME_CODE_S42_ENQUIRY_OPENED);
  EXPECT_EQ(r.alert->in_reply_to_hex, "0f1e2d3c4b5a69788796a5b4c3d2e1f0");
  EXPECT_EQ(r.alert->body.outcome().case_reference(), "S42-2024-0193");
}

TEST_F(CouncilJsonCodecTest, EachMissingRequiredFieldIsNamed) {
  const nlohmann::json concern = nlohmann::json::parse(Example("council-concern.json"));
  const char* kRequired[] = {
      "/kind",
      "/abuse_category",
      "/urgency",
      "/purpose",
      "/concern/what_happened",
      "/referrer/name",
      "/lawful_basis/art6",
      "/lawful_basis/art9",
      "/consent/state",
      "/consent/not_sought_reason",
      "/consent/override/decision/decided_by_name",
      "/consent/override/decision/decided_by_role",
      "/consent/override/decision/decided_by_organisation",
      "/consent/override/decision/decided_at",
      "/consent/override/decision/reason",
      "/consent/override/decision/advice_sought",
      "/consent/override/decision/person_told",
      "/person_view/aware_of_concern",
  };
  for (const char* field : kRequired) {
    SCOPED_TRACE(field);
    DecodeResult r = codec_.Decode(Without(concern, field));
    EXPECT_FALSE(r.alert.has_value());
    EXPECT_EQ(Fields(r.errors), std::set<std::string>{field}) << FormatFieldErrors(r.errors);
  }
  const nlohmann::json outcome = nlohmann::json::parse(Example("council-s42-outcome.json"));
  for (const char* field : {"/in_reply_to", "/s42/outcome", "/consent/scope/expires_at",
                            "/consent/scope/purposes", "/consent/scope/recipient_kinds"}) {
    SCOPED_TRACE(field);
    DecodeResult r = codec_.Decode(Without(outcome, field));
    EXPECT_EQ(Fields(r.errors), std::set<std::string>{field}) << FormatFieldErrors(r.errors);
  }
}

TEST_F(CouncilJsonCodecTest, PersonNeedsNhsNumberOrNameBirthDateAndPostcode) {
  nlohmann::json doc = nlohmann::json::parse(Example("council-concern.json"));
  doc["person"].erase("nhs_number");
  doc["person"].erase("postcode");
  DecodeResult r = codec_.Decode(doc.dump());
  EXPECT_EQ(Fields(r.errors), std::set<std::string>{"/person/postcode"});

  doc = nlohmann::json::parse(Example("council-concern.json"));
  doc["person"]["nhs_number"] = "9434765918";  // wrong check digit
  r = codec_.Decode(doc.dump());
  EXPECT_EQ(Fields(r.errors), std::set<std::string>{"/person/nhs_number"});
}

TEST_F(CouncilJsonCodecTest, NotToldNeedsAReason) {
  nlohmann::json doc = nlohmann::json::parse(Example("council-concern.json"));
  doc["consent"]["override"]["decision"]["person_told"] = "not_told";
  DecodeResult r = codec_.Decode(doc.dump());
  EXPECT_EQ(Fields(r.errors), std::set<std::string>{"/consent/override/decision/not_told_reason"});
}

TEST_F(CouncilJsonCodecTest, RefusedConsentWithoutOverrideIsAValidDocument) {
  // Whether refused consent stops a recipient is the hub's policy decision, not the codec's.
  nlohmann::json doc = nlohmann::json::parse(Example("council-concern.json"));
  doc["consent"] = {{"state", "refused"}};
  DecodeResult r = codec_.Decode(doc.dump());
  ASSERT_TRUE(r.ok()) << FormatFieldErrors(r.errors);
  EXPECT_EQ(r.alert->consent.state(), sghub::v1::CONSENT_STATE_REFUSED);
}

TEST_F(CouncilJsonCodecTest, CollectsEveryWrongTypeUnknownEnumAndUnknownKey) {
  nlohmann::json doc = nlohmann::json::parse(Example("council-concern.json"));
  doc["urgency"] = 7;
  doc["abuse_category"] = "gossip";
  doc["person"]["date_of_birth"] = "1983-02-30";
  doc["concern"]["hate_incident"] = "yes";
  doc["concent"] = nlohmann::json::object();
  doc["risks"][0]["level"] = nlohmann::json::array();
  doc["in_reply_to"] = "not-a-message-id";
  DecodeResult r = codec_.Decode(doc.dump());
  EXPECT_FALSE(r.alert.has_value());
  EXPECT_EQ(Fields(r.errors),
            (std::set<std::string>{"/urgency", "/abuse_category", "/person/date_of_birth",
                                   "/concern/hate_incident", "/concent", "/risks/0/level",
                                   "/in_reply_to"}))
      << FormatFieldErrors(r.errors);
  EXPECT_THAT(r.errors, Contains(Field(&FieldError::reason, ::testing::HasSubstr("mate_crime"))));
}

TEST_F(CouncilJsonCodecTest, EncodesANoticeWithReadableNames) {
  sghub::v1::NoticeBody n;
  n.set_kind(sghub::v1::NOTICE_KIND_ESCALATION);
  n.set_message_id(std::string(16, '\x01'));
  n.set_stage(sghub::v1::ESCALATION_STAGE_NO_OUTCOME);
  n.set_recipient("police.north");
  n.set_deadline_ms(1'710'412'920'000);
  Result<std::string> out = codec_.EncodeNotice(n);
  ASSERT_TRUE(out.ok());
  nlohmann::json j = nlohmann::json::parse(*out);
  EXPECT_EQ(j["notice"], "escalation");
  EXPECT_EQ(j["stage"], "no_outcome");
  EXPECT_EQ(j["message_id"], "01010101010101010101010101010101");
  EXPECT_EQ(j["deadline"], "2024-03-14T10:42:00Z");
}

TEST_F(CouncilJsonCodecTest, EncodesEveryDeliveryOfADeliveryReport) {
  sghub::v1::NoticeBody n;
  n.set_kind(sghub::v1::NOTICE_KIND_DELIVERY_REPORT);
  for (char c : {'\x01', '\x02'}) {
    sghub::v1::Delivered* d = n.add_delivered();
    d->set_message_id(std::string(16, c));
    d->set_recipient(c == '\x01' ? "police.north" : "nhs.north-trust");
  }
  Result<std::string> out = codec_.EncodeNotice(n);
  ASSERT_TRUE(out.ok());
  nlohmann::json j = nlohmann::json::parse(*out);
  EXPECT_EQ(j["notice"], "delivery_report");
  ASSERT_EQ(j["delivered"].size(), 2u);
  EXPECT_EQ(j["delivered"][0]["message_id"], "01010101010101010101010101010101");
  EXPECT_EQ(j["delivered"][0]["recipient"], "police.north");
  EXPECT_EQ(j["delivered"][1]["message_id"], "02020202020202020202020202020202");
  EXPECT_EQ(j["delivered"][1]["recipient"], "nhs.north-trust");
}

}  // namespace
}  // namespace hub::codecs
