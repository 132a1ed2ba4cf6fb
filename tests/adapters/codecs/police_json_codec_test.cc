#include "adapters/codecs/police_json_codec.h"

#include <string>

#include <gtest/gtest.h>

#include "tests/adapters/codecs/codec_test_util.h"

namespace hub::codecs {
namespace {

using testing::ExamplesDir;
using testing::Fields;
using testing::ReadFileOrFail;
using testing::Without;

class PoliceJsonCodecTest : public ::testing::Test {
 protected:
  std::string Example(const char* name) { return ReadFileOrFail(ExamplesDir() / name); }
  PoliceJsonCodec codec_;
};

TEST_F(PoliceJsonCodecTest, DecodesTheNotificationExample) {
  DecodeResult r = codec_.Decode(Example("police-notification.json"));
  ASSERT_TRUE(r.ok()) << FormatFieldErrors(r.errors);
  const InboundAlert& a = *r.alert;
  EXPECT_EQ(a.kind, sghub::v1::ALERT_KIND_CONCERN);
  EXPECT_EQ(a.category, sghub::v1::CATEGORY_CUCKOOING);
  EXPECT_EQ(a.urgency, sghub::v1::URGENCY_IMMEDIATE);
  EXPECT_EQ(a.body.practitioner().name(), "Chris Doyle");
  EXPECT_EQ(a.body.practitioner().role(), "Police Constable (collar 4521)");
  EXPECT_EQ(a.body.practitioner().organisation(), "Northshire Police");
  EXPECT_EQ(a.body.voice().wants_police(), sghub::v1::PersonVoice::POLICE_INVOLVEMENT_WANTED);
  EXPECT_TRUE(a.body.incident().coercion_or_duress());
  EXPECT_EQ(a.body.incident().hostility_markers_size(), 1);
  EXPECT_EQ(a.lawful_basis.art9(), sghub::v1::ART9_CONDITION_SCH8_PARA4_SAFEGUARDING);
  EXPECT_EQ(a.body.source_reference(), "NTH-20240316-0412");
  EXPECT_TRUE(a.body.person().nhs_number().empty());
  EXPECT_EQ(a.body.person().postcode(), "NT1 2AB");
}

TEST_F(PoliceJsonCodecTest, RoundTripsEveryExample) {
  for (const char* name : {"police-notification.json", "police-outcome-crime-recorded.json"}) {
    SCOPED_TRACE(name);
    DecodeResult first = codec_.Decode(Example(name));
    ASSERT_TRUE(first.ok()) << FormatFieldErrors(first.errors);
    Result<std::string> encoded = codec_.Encode(testing::Deliver(*first.alert, "police.north"));
    ASSERT_TRUE(encoded.ok()) << encoded.status().ToString();
    DecodeResult second = codec_.Decode(*encoded);
    ASSERT_TRUE(second.ok()) << FormatFieldErrors(second.errors) << *encoded;
    testing::ExpectSameAlert(*first.alert, *second.alert);
  }
}

TEST_F(PoliceJsonCodecTest, CrimeRecordedNeedsACrimeReference) {
  const nlohmann::json doc = nlohmann::json::parse(Example("police-outcome-crime-recorded.json"));
  DecodeResult r = codec_.Decode(Without(doc, "/outcome/crime_reference"));
  EXPECT_FALSE(r.alert.has_value());
  EXPECT_EQ(Fields(r.errors), std::set<std::string>{"/outcome/crime_reference"});
}

TEST_F(PoliceJsonCodecTest, EachMissingRequiredFieldIsNamed) {
  const nlohmann::json doc = nlohmann::json::parse(Example("police-notification.json"));
  for (const char* field :
       {"/kind", "/category", "/urgency", "/purpose", "/incident/summary", "/reported_by/name",
        "/reported_by/collar_number", "/account/wants_police_involvement", "/lawful_basis/art6",
        "/lawful_basis/art9", "/consent/state", "/consent/scope/expires_at",
        "/person/date_of_birth", "/person/family_name", "/person/postcode"}) {
    SCOPED_TRACE(field);
    DecodeResult r = codec_.Decode(Without(doc, field));
    EXPECT_FALSE(r.alert.has_value());
    EXPECT_EQ(Fields(r.errors), std::set<std::string>{field}) << FormatFieldErrors(r.errors);
  }
  const nlohmann::json outcome =
      nlohmann::json::parse(Example("police-outcome-crime-recorded.json"));
  for (const char* field : {"/in_reply_to", "/outcome/code"}) {
    SCOPED_TRACE(field);
    DecodeResult r = codec_.Decode(Without(outcome, field));
    EXPECT_EQ(Fields(r.errors), std::set<std::string>{field}) << FormatFieldErrors(r.errors);
  }
}

TEST_F(PoliceJsonCodecTest, HostilityMarkersWithoutHateIncidentAreRefused) {
  nlohmann::json doc = nlohmann::json::parse(Example("police-notification.json"));
  doc["incident"]["hate_incident"] = false;
  DecodeResult r = codec_.Decode(doc.dump());
  EXPECT_EQ(Fields(r.errors), std::set<std::string>{"/incident/hostility_markers"});
}

TEST_F(PoliceJsonCodecTest, UnknownOverrideBasisIsRefusedWithTheAcceptedNames) {
  nlohmann::json doc = nlohmann::json::parse(Example("police-notification.json"));
  doc["consent"]["override"] = {{"basis", "because"}};
  DecodeResult r = codec_.Decode(doc.dump());
  ASSERT_FALSE(r.ok());
  ASSERT_EQ(Fields(r.errors), std::set<std::string>{"/consent/override/basis"});
  EXPECT_NE(r.errors[0].reason.find("crime_disorder_s115"), std::string::npos);
}

}  // namespace
}  // namespace hub::codecs
