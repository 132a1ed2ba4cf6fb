#include "adapters/codecs/fhir_r4_codec.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "adapters/codecs/fhir_bundle.h"
#include "tests/adapters/codecs/codec_test_util.h"

namespace hub::codecs {
namespace {

using testing::ExamplesDir;
using testing::FhirFixturesDir;
using testing::Fields;
using testing::ReadFileOrFail;
using testing::Without;

constexpr char kExt[] = "https://sghub.example/fhir/StructureDefinition/";

class FhirR4CodecTest : public ::testing::Test {
 protected:
  std::string Example() { return ReadFileOrFail(ExamplesDir() / "nhs_mh-concern.json"); }
  // The real NHS bundles; skips the test when the shared fixtures are not checked out.
  std::string Fixture(const char* name) {
    const std::filesystem::path dir = FhirFixturesDir();
    if (!std::filesystem::is_directory(dir)) {
      return "";
    }
    return ReadFileOrFail(dir / name);
  }
  FhirR4Codec codec_;
};

#define SKIP_WITHOUT_FIXTURES()                                          \
  if (!std::filesystem::is_directory(FhirFixturesDir())) {               \
    GTEST_SKIP() << "NHS fixtures not found at " << FhirFixturesDir()    \
                 << " (../shared/fixtures/fhir beside the source tree)"; \
  }

TEST_F(FhirR4CodecTest, DecodesTheCompleteExampleBundle) {
  DecodeResult r = codec_.Decode(Example());
  ASSERT_TRUE(r.ok()) << FormatFieldErrors(r.errors);
  const InboundAlert& a = *r.alert;
  EXPECT_EQ(a.kind, sghub::v1::ALERT_KIND_CONCERN);  // from the SG flag
  EXPECT_EQ(a.category, sghub::v1::CATEGORY_MATE_CRIME);
  EXPECT_EQ(a.urgency, sghub::v1::URGENCY_URGENT);
  EXPECT_EQ(a.purpose, sghub::v1::PURPOSE_SAFEGUARDING);
  EXPECT_EQ(a.recipients, (std::vector<std::string>{"council.north", "police.north"}));
  EXPECT_EQ(a.lawful_basis.art6(), sghub::v1::ART6_BASIS_PUBLIC_TASK);
  EXPECT_EQ(a.consent.state(), sghub::v1::CONSENT_STATE_GIVEN);  // provision.type permit
  EXPECT_EQ(a.consent.scope().recipient_kinds_size(), 2);
  EXPECT_EQ(a.consent.scope().expires_at_ms(), 1'726'272'000'000);  // 2024-09-14
  const sghub::v1::Person& p = a.body.person();
  EXPECT_EQ(p.nhs_number(), "9434765919");
  EXPECT_EQ(p.local_id(), "RIO123456");
  EXPECT_EQ(p.family_name(), "Ellis");
  EXPECT_EQ(p.given_names(), "Daniel James");
  EXPECT_EQ(p.date_of_birth(), "1983-07-21");
  EXPECT_EQ(p.postcode(), "NT1 2AB");
  EXPECT_EQ(p.address(), "Flat 4, Riverside Court, Northtown");
  EXPECT_EQ(p.preferred_language(), "English");
  ASSERT_EQ(a.body.contacts_size(), 1);
  EXPECT_EQ(a.body.contacts(0).name(), "Ann Ellis");
  EXPECT_TRUE(a.body.contacts(0).safe_to_contact());
  // Practitioner by relative reference, role and organisation through PractitionerRole.
  EXPECT_EQ(a.body.practitioner().name(), "Grace Okafor");
  EXPECT_EQ(a.body.practitioner().role(), "Care coordinator");
  EXPECT_EQ(a.body.practitioner().organisation(), "North Trust");
  EXPECT_EQ(a.body.voice().wants_police(), sghub::v1::PersonVoice::POLICE_INVOLVEMENT_UNSURE);
  EXPECT_EQ(a.body.voice().desired_outcomes_size(), 2);
  EXPECT_EQ(a.body.incident().occurred_at(), "2024-03-12");
  EXPECT_TRUE(a.body.incident().hate_incident());
  ASSERT_EQ(a.body.risks_size(), 2);
  EXPECT_TRUE(a.body.risks(1).others_at_risk());
  EXPECT_EQ(a.body.source_system(), "RiO");
  EXPECT_EQ(a.body.source_reference(), "RIO-SG-20240314-0042");
}

TEST_F(FhirR4CodecTest, RoundTripsTheExample) {
  DecodeResult first = codec_.Decode(Example());
  ASSERT_TRUE(first.ok()) << FormatFieldErrors(first.errors);
  Result<std::string> encoded = codec_.Encode(testing::Deliver(*first.alert, "nhs.north-trust"));
  ASSERT_TRUE(encoded.ok()) << encoded.status().ToString();
  DecodeResult second = codec_.Decode(*encoded);
  ASSERT_TRUE(second.ok()) << FormatFieldErrors(second.errors) << *encoded;
  testing::ExpectSameAlert(*first.alert, *second.alert);
}

TEST_F(FhirR4CodecTest, EncodesAMessageBundleWithCommunicationFlagAndPatient) {
  DecodeResult r = codec_.Decode(Example());
  ASSERT_TRUE(r.ok());
  Result<std::string> encoded = codec_.Encode(testing::Deliver(*r.alert, "nhs.north-trust"));
  ASSERT_TRUE(encoded.ok());
  nlohmann::json b = nlohmann::json::parse(*encoded);
  EXPECT_EQ(b["resourceType"], "Bundle");
  EXPECT_EQ(b["type"], "message");
  EXPECT_EQ(b["id"], "102132435465768798a9bacbdcedfe0f");
  std::vector<std::string> types;
  for (const auto& e : b["entry"]) {
    types.push_back(e["resource"]["resourceType"]);
  }
  EXPECT_EQ(types[0], "MessageHeader");
  EXPECT_EQ(types[1], "Communication");
  EXPECT_NE(std::find(types.begin(), types.end(), "Flag"), types.end());
  EXPECT_NE(std::find(types.begin(), types.end(), "Patient"), types.end());
  EXPECT_EQ(b["entry"][1]["resource"]["priority"], "urgent");
}

TEST_F(FhirR4CodecTest, OutcomeRoundTripsThroughTheCommunication) {
  DecodeResult r = codec_.Decode(Example());
  ASSERT_TRUE(r.ok());
  InboundAlert outcome = *r.alert;
  outcome.kind = sghub::v1::ALERT_KIND_OUTCOME;
  outcome.category = sghub::v1::CATEGORY_UNSPECIFIED;
  outcome.in_reply_to_hex = "00112233445566778899aabbccddeeff";
  outcome.outcome_code = sghub::v1::OUTCOME_CODE_CRIME_RECORDED;
  outcome.body.clear_risks();
  outcome.body.mutable_outcome()->set_code(sghub::v1::OUTCOME_CODE_CRIME_RECORDED);
  outcome.body.mutable_outcome()->set_crime_reference("NTH/CR/2024/118734");
  Result<std::string> encoded = codec_.Encode(testing::Deliver(outcome, "police.north"));
  ASSERT_TRUE(encoded.ok());
  DecodeResult back = codec_.Decode(*encoded);
  ASSERT_TRUE(back.ok()) << FormatFieldErrors(back.errors);
  testing::ExpectSameAlert(outcome, *back.alert);
}

TEST_F(FhirR4CodecTest, EachMissingRequiredFieldIsNamed) {
  const nlohmann::json doc = nlohmann::json::parse(Example());
  struct Case {
    const char* remove;
    const char* field;
  };
  const Case kCases[] = {
      {"/entry/1/resource/priority", "/entry/1/resource/priority"},
      {"/entry/1/resource/note", "/entry/1/resource/note"},
      {"/entry/1/resource/requester", "/entry/1/resource/requester"},
      {"/entry/1/resource/extension/3", "/entry/1/resource/extension[sghub-lawful-basis]"},
      {"/entry/6/resource/extension/0", "/entry/6/resource/extension[sghub-category]"},
      {"/entry/7", "/entry[Consent]"},
      {"/entry/7/resource/provision/type", "/entry/7/resource/provision/type"},
      {"/entry/7/resource/provision/period", "/entry/7/resource/provision/period/end"},
      {"/entry/7/resource/extension/2", "/entry/7/resource/extension[sghub-consent-purpose]"},
  };
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.remove);
    DecodeResult r = codec_.Decode(Without(doc, c.remove));
    EXPECT_FALSE(r.alert.has_value());
    EXPECT_EQ(Fields(r.errors), std::set<std::string>{c.field}) << FormatFieldErrors(r.errors);
  }
}

TEST_F(FhirR4CodecTest, OverrideNeedsEveryDecisionField) {
  nlohmann::json doc = nlohmann::json::parse(Example());
  nlohmann::json& consent = doc["entry"][7]["resource"];
  consent["extension"].push_back({{"url", std::string(kExt) + "sghub-override"},
                                  {"extension",
                                   {{{"url", "basis"}, {"valueCode", "vital_interests"}},
                                    {{"url", "reason"}, {"valueString", "Risk now"}}}}});
  DecodeResult r = codec_.Decode(doc.dump());
  const std::string ov = "/entry/7/resource/extension/4";
  EXPECT_EQ(
      Fields(r.errors),
      (std::set<std::string>{ov + "/extension[decidedByName]", ov + "/extension[decidedByRole]",
                             ov + "/extension[decidedByOrganisation]", ov + "/extension[decidedAt]",
                             ov + "/extension[adviceSought]", ov + "/extension[personTold]"}))
      << FormatFieldErrors(r.errors);
}

// The real NHS BaRS bundle with a Safeguarding Concern flag. It is a safeguarding concern
// (the SG flag), but it is not enough to share: it has no urgency, no description of what
// happened, no abuse category, no lawful basis, a consent that does not say what the person
// agreed to, and an NHS number that fails its check digit.
TEST_F(FhirR4CodecTest, SafeguardingFlagFixtureIsRefusedNamingEachMissingField) {
  SKIP_WITHOUT_FIXTURES();
  DecodeResult r = codec_.Decode(Fixture("nhs-bars-message-safeguarding-flag.json"));
  EXPECT_FALSE(r.alert.has_value());
  EXPECT_EQ(Fields(r.errors), (std::set<std::string>{
                                  "/entry/3/resource/identifier/0/value",
                                  "/entry/1/resource/priority",
                                  "/entry/1/resource/note",
                                  "/entry/11/resource/extension[sghub-category]",
                                  "/entry/1/resource/extension[sghub-lawful-basis]",
                                  "/entry/21/resource/provision/type",
                              }))
      << FormatFieldErrors(r.errors);
}

// The current BaRS example: no safeguarding flag at all (the only Flag is scene safety,
// about a Location), and consent policy IMPLIED with no provision.
TEST_F(FhirR4CodecTest, SceneSafetyFixtureIsRefusedNamingEachMissingField) {
  SKIP_WITHOUT_FIXTURES();
  DecodeResult r = codec_.Decode(Fixture("nhs-bars-message-scene-safety.json"));
  EXPECT_FALSE(r.alert.has_value());
  EXPECT_EQ(Fields(r.errors), (std::set<std::string>{
                                  "/entry/5/resource/identifier/0/value",
                                  "/entry/1/resource/extension[sghub-alert-kind]",
                                  "/entry/1/resource/priority",
                                  "/entry/1/resource/extension[sghub-lawful-basis]",
                                  "/entry/18/resource/provision/type",
                              }))
      << FormatFieldErrors(r.errors);
  for (const FieldError& e : r.errors) {
    if (e.field == "/entry/18/resource/provision/type") {
      EXPECT_NE(e.reason.find("IMPLIED"), std::string::npos) << e.reason;
    }
  }
}

// Filling in exactly the named fields turns the real bundle into an alert: the errors are
// the whole story, and what the bundle does carry is read, not replaced.
TEST_F(FhirR4CodecTest, SafeguardingFlagFixtureDecodesOnceTheNamedFieldsAreFilledIn) {
  SKIP_WITHOUT_FIXTURES();
  nlohmann::json doc = nlohmann::json::parse(Fixture("nhs-bars-message-safeguarding-flag.json"));
  nlohmann::json& req = doc["entry"][1]["resource"];
  req["priority"] = "urgent";
  req["note"] = nlohmann::json::array({{{"text", "Neighbours taunt her about her illness."}}});
  req["extension"] = {{{"url", std::string(kExt) + "sghub-lawful-basis"},
                       {"extension",
                        {{{"url", "art6"}, {"valueCode", "public_task"}},
                         {{"url", "art9"}, {"valueCode", "sch1_para18_safeguarding"}}}}}};
  doc["entry"][11]["resource"]["extension"] = {
      {{"url", std::string(kExt) + "sghub-category"}, {"valueCode", "targeted_hostility"}}};
  doc["entry"][21]["resource"]["extension"] = {
      {{"url", std::string(kExt) + "sghub-consent-state"}, {"valueCode", "refused"}}};
  doc["entry"][3]["resource"]["identifier"][0]["value"] = "9434765919";
  DecodeResult r = codec_.Decode(doc.dump());
  ASSERT_TRUE(r.ok()) << FormatFieldErrors(r.errors);
  const InboundAlert& a = *r.alert;
  EXPECT_EQ(a.kind, sghub::v1::ALERT_KIND_CONCERN);
  EXPECT_EQ(a.consent.state(), sghub::v1::CONSENT_STATE_REFUSED);
  EXPECT_EQ(a.body.person().family_name(), "Jones");
  EXPECT_EQ(a.body.person().given_names(), "Julie");
  EXPECT_EQ(a.body.person().date_of_birth(), "1959-05-04");
  EXPECT_EQ(a.body.person().postcode(), "LS10 4YU");
  EXPECT_EQ(a.body.person().gender(), "female");
  EXPECT_EQ(a.body.practitioner().name(), "Marcy BLAKE");
  EXPECT_EQ(a.body.practitioner().role(), "Administrative healthcare staff");
  ASSERT_EQ(a.body.risks_size(), 1);
  EXPECT_EQ(a.body.risks(0).description(), "Child at risk");  // the SG flag's own code
  EXPECT_EQ(a.body.source_system(), "Anon Patient Manager");
}

TEST_F(FhirR4CodecTest, RefusesBundlesOfOtherTypesAndOtherResources) {
  EXPECT_EQ(Fields(codec_.Decode(R"({"resourceType":"Patient"})").errors),
            std::set<std::string>{"/resourceType"});
  DecodeResult r = codec_.Decode(R"({"resourceType":"Bundle","type":"searchset","entry":[]})");
  EXPECT_EQ(Fields(r.errors), (std::set<std::string>{"/type", "/entry"}));
}

TEST_F(FhirR4CodecTest, EncodesANoticeAsACommunicationInAMessageBundle) {
  sghub::v1::NoticeBody n;
  n.set_notice_id(std::string(16, '\x02'));
  n.set_kind(sghub::v1::NOTICE_KIND_NON_DELIVERY_REPORT);
  n.set_to("nhs.north-trust");
  n.set_reason_code(sghub::v1::REASON_CODE_CONSENT_REFUSED_NO_OVERRIDE);
  n.set_reason("The person refused consent and no override applies.");
  Result<std::string> out = codec_.EncodeNotice(n);
  ASSERT_TRUE(out.ok());
  nlohmann::json b = nlohmann::json::parse(*out);
  EXPECT_EQ(b["type"], "message");
  EXPECT_EQ(b["entry"][0]["resource"]["resourceType"], "MessageHeader");
  const nlohmann::json& comm = b["entry"][1]["resource"];
  EXPECT_EQ(comm["resourceType"], "Communication");
  EXPECT_EQ(comm["category"][0]["coding"][0]["code"], "non_delivery_report");
  EXPECT_NE(out->find("consent_refused_no_override"), std::string::npos);
}

TEST_F(FhirR4CodecTest, EncodesEveryDeliveryOfADeliveryReport) {
  sghub::v1::NoticeBody n;
  n.set_notice_id(std::string(16, '\x03'));
  n.set_kind(sghub::v1::NOTICE_KIND_DELIVERY_REPORT);
  for (char c : {'\x01', '\x02'}) {
    sghub::v1::Delivered* d = n.add_delivered();
    d->set_message_id(std::string(16, c));
    d->set_recipient("council.east");
  }
  Result<std::string> out = codec_.EncodeNotice(n);
  ASSERT_TRUE(out.ok());
  nlohmann::json b = nlohmann::json::parse(*out);
  const nlohmann::json& parts = b["entry"][1]["resource"]["extension"][0]["extension"];
  std::vector<std::string> ids;
  for (const nlohmann::json& part : parts) {
    if (part["url"] == std::string(kSghubExtensionBase) + "delivered") {
      ASSERT_EQ(part["extension"].size(), 2u);
      ids.push_back(part["extension"][0]["valueString"]);
      EXPECT_EQ(part["extension"][1]["valueString"], "council.east");
    }
  }
  EXPECT_THAT(ids, ::testing::ElementsAre("01010101010101010101010101010101",
                                          "02020202020202020202020202020202"));
}

}  // namespace
}  // namespace hub::codecs
