#include "hub/policy/explain.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "hub/policy/policy_engine.h"
#include "hub/policy/rules.h"
#include "tests/hub/policy/policy_test_util.h"

namespace hub::policy {
namespace {

using namespace hub::policy::testing;  // NOLINT(google-build-using-namespace)

std::string ReadTestData(const std::string& name) {
  const char* source_dir = std::getenv("SGHUB_SOURCE_DIR");
  std::filesystem::path dir = source_dir != nullptr
                                  ? std::filesystem::path(source_dir) / "tests/hub/policy"
                                  : std::filesystem::path(__FILE__).parent_path();
  std::ifstream in(dir / "testdata" / name);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// A minimal explain document around a header body.
std::string Doc(const std::string& header_fields, const std::string& extra = "") {
  return R"({"header": {"recipients": ["council-a"], "createdAtMs": "1714557599000", )" +
         header_fields + R"(}, "recipient_kinds": {"council-a": "council"})" + extra + "}";
}

TEST(HeaderFromJsonTest, ReadsEnumsBytesAndBothNameStyles) {
  Result<sghub::v1::Header> header = HeaderFromJson(R"({
    "message_id": "AQEBAQEBAQEBAQEBAQEBAQ==",
    "recipients": ["police-x"],
    "kind": "ALERT_KIND_CONCERN",
    "createdAtMs": 1714557599000,
    "consent": {"state": "CONSENT_STATE_LACKS_CAPACITY",
                "capacityAssessmentRef": "MCA-1",
                "capacity_decision_by": "CAPACITY_DECISION_BY_LPA"}
  })");
  ASSERT_TRUE(header.ok()) << header.status().ToString();
  EXPECT_EQ(header->message_id(), std::string(16, '\x01'));
  EXPECT_EQ(header->recipients(0), "police-x");
  EXPECT_EQ(header->kind(), sghub::v1::ALERT_KIND_CONCERN);
  EXPECT_EQ(header->created_at_ms(), 1714557599000);
  EXPECT_EQ(header->consent().state(), sghub::v1::CONSENT_STATE_LACKS_CAPACITY);
  EXPECT_EQ(header->consent().capacity_assessment_ref(), "MCA-1");
  EXPECT_EQ(header->consent().capacity_decision_by(), sghub::v1::CAPACITY_DECISION_BY_LPA);
}

TEST(HeaderFromJsonTest, NamesTheFieldWithABadEnum) {
  Result<sghub::v1::Header> header =
      HeaderFromJson(R"({"consent": {"state": "CONSENT_STATE_MAYBE"}})");
  ASSERT_FALSE(header.ok());
  EXPECT_EQ(header.status().message().rfind("header.consent.state:", 0), 0u)
      << header.status().message();
  EXPECT_NE(header.status().message().find("CONSENT_STATE_MAYBE"), std::string::npos);
}

TEST(HeaderFromJsonTest, NamesAnUnknownField) {
  Result<sghub::v1::Header> header = HeaderFromJson(R"({"consent": {"stat": 1}})");
  ASSERT_FALSE(header.ok());
  EXPECT_EQ(header.status().message(), "header.consent.stat: unknown field");
}

TEST(HeaderFromJsonTest, NamesAFieldWithBadBase64) {
  Result<sghub::v1::Header> header = HeaderFromJson(R"({"messageId": "!!"})");
  ASSERT_FALSE(header.ok());
  EXPECT_EQ(header.status().message().rfind("header.message_id:", 0), 0u)
      << header.status().message();
}

TEST(ExplainInputTest, ExplainsTheWithdrawnThenOverrideExample) {
  Result<ExplainInput> input =
      ExplainInputFromJson(ReadTestData("explain_withdrawn_then_override.json"));
  ASSERT_TRUE(input.ok()) << input.status().ToString();
  EXPECT_EQ(input->now_ms, kNowMs);
  ASSERT_EQ(input->recipients.size(), 3u);
  EXPECT_EQ(input->recipients[1].id, "police-x");
  EXPECT_EQ(input->recipients[1].kind, sghub::v1::AGENCY_KIND_POLICE);
  const ConsentRecord* latest = input->history.Latest(SubjectRef('A'), kNowMs);
  ASSERT_NE(latest, nullptr);
  EXPECT_EQ(latest->state, sghub::v1::CONSENT_STATE_WITHDRAWN);

  std::vector<Decision> d =
      PolicyEngine(DefaultPolicy())
          .Decide(input->header, input->recipients, input->history, input->now_ms);
  ASSERT_EQ(d.size(), 3u);
  EXPECT_TRUE(d[0].allowed());
  EXPECT_TRUE(d[0].shown_not_consented);
  EXPECT_EQ(d[1].reason_code, sghub::v1::REASON_CODE_OVERRIDE_NOT_ALLOWED_FOR_RECIPIENT);
  EXPECT_TRUE(d[2].allowed());

  std::string text = ExplainDecisions(d);
  EXPECT_NE(text.find("council-a: ALLOW on override coercion_or_duress"), std::string::npos)
      << text;
  EXPECT_NE(text.find("police-x: REFUSE OVERRIDE_NOT_ALLOWED_FOR_RECIPIENT "
                      "[R2.police-override-basis]\n  "),
            std::string::npos)
      << text;
}

TEST(ExplainInputTest, NowDefaultsToTheHeaderCreationTime) {
  Result<ExplainInput> input = ExplainInputFromJson(Doc(R"("kind": "ALERT_KIND_CONCERN")"));
  ASSERT_TRUE(input.ok()) << input.status().ToString();
  EXPECT_EQ(input->now_ms, 1714557599000);
  EXPECT_TRUE(input->history.empty());
}

TEST(ExplainInputTest, OriginalSenderMarksTheOriginator) {
  Result<ExplainInput> input = ExplainInputFromJson(
      Doc(R"("kind": "ALERT_KIND_OUTCOME")", R"(, "original_sender": "council-a")"));
  ASSERT_TRUE(input.ok()) << input.status().ToString();
  EXPECT_TRUE(input->recipients[0].originated_in_reply_to);
}

TEST(ExplainInputTest, RefusesARecipientWithoutAKind) {
  Result<ExplainInput> input = ExplainInputFromJson(
      R"({"header": {"recipients": ["council-a", "police-x"], "createdAtMs": 5},
          "recipient_kinds": {"council-a": "council"}})");
  ASSERT_FALSE(input.ok());
  EXPECT_EQ(input.status().message(), "recipient_kinds: no kind for recipient \"police-x\"");
}

TEST(ExplainInputTest, RefusesAKindForSomeoneNotInTheHeader) {
  Result<ExplainInput> input = ExplainInputFromJson(
      R"({"header": {"recipients": ["council-a"], "createdAtMs": 5},
          "recipient_kinds": {"council-a": "council", "counsil-b": "council"}})");
  ASSERT_FALSE(input.ok());
  EXPECT_EQ(input.status().message().rfind("recipient_kinds.counsil-b:", 0), 0u);
}

TEST(ExplainInputTest, RefusesAnUnknownKind) {
  Result<ExplainInput> input = ExplainInputFromJson(
      R"({"header": {"recipients": ["p"], "createdAtMs": 5}, "recipient_kinds": {"p": "probation"}})");
  ASSERT_FALSE(input.ok());
  EXPECT_EQ(input.status().message().rfind("recipient_kinds.p: unknown agency kind", 0), 0u);
}

TEST(ExplainInputTest, RefusesUnknownTopLevelKeysAndMissingParts) {
  EXPECT_FALSE(ExplainInputFromJson(Doc("", R"(, "now": 5)")).ok());
  EXPECT_FALSE(ExplainInputFromJson(R"({"recipient_kinds": {}})").ok());
  EXPECT_FALSE(ExplainInputFromJson(R"({"header": {}})").ok());
  EXPECT_FALSE(ExplainInputFromJson("[1, 2]").ok());
  EXPECT_FALSE(ExplainInputFromJson("{").ok());
  Result<ExplainInput> no_time = ExplainInputFromJson(
      R"({"header": {"recipients": ["c"]}, "recipient_kinds": {"c": "council"}})");
  ASSERT_FALSE(no_time.ok());
  EXPECT_EQ(no_time.status().message().rfind("now_ms:", 0), 0u);
}

TEST(ExplainInputTest, HeaderErrorsInsideTheDocumentNameTheField) {
  Result<ExplainInput> input =
      ExplainInputFromJson(Doc(R"("lawfulBasis": {"art6": "ART6_BASIS_WHIM"})"));
  ASSERT_FALSE(input.ok());
  EXPECT_EQ(input.status().message().rfind("header.lawful_basis.art6:", 0), 0u)
      << input.status().message();
}

TEST(ExplainInputTest, HistoryErrorsNameTheEntryAndKey) {
  auto error = [](const std::string& entry) {
    Result<ExplainInput> input = ExplainInputFromJson(Doc("", R"(, "history": [)" + entry + "]"));
    return input.ok() ? std::string("OK") : input.status().message();
  };
  EXPECT_EQ(error(R"({"subject_ref": "%%", "state": "withdrawn", "recorded_at_ms": 1})")
                .rfind("history[0].subject_ref:", 0),
            0u);
  EXPECT_EQ(error(R"({"subject_ref": "QUFB", "state": "gone", "recorded_at_ms": 1})")
                .rfind("history[0].state: unknown consent state", 0),
            0u);
  EXPECT_EQ(error(R"({"subject_ref": "QUFB", "state": "given"})"),
            "history[0].recorded_at_ms: missing");
  EXPECT_EQ(error(R"({"subject_ref": "QUFB", "state": "given", "recorded_at_ms": 1.5})")
                .rfind("history[0].recorded_at_ms: expected a whole number", 0),
            0u);
  EXPECT_EQ(error(R"({"subject_ref": "QUFB", "state": "given", "recorded_at_ms": 1, "who": 2})")
                .rfind("history[0].who: unknown key", 0),
            0u);
  EXPECT_EQ(error(R"({"subject_ref": "QUFB", "state": "given", "recorded_at_ms": "7",
                      "scope": {"purposes": ["PURPOSE_NONE"]}})")
                .rfind("history[0].scope.purposes", 0),
            0u);
  EXPECT_EQ(error(R"({"subject_ref": "QUFB", "state": "given", "recorded_at_ms": "7"})"), "OK");
}

TEST(DecisionsToJsonTest, RendersEveryFieldWithNullsAndEscapes) {
  Decision refused;
  refused.recipient = "police-x";
  refused.verdict = Verdict::kRefuse;
  refused.reason_code = sghub::v1::REASON_CODE_CONSENT_EXPIRED;
  refused.rule = "R1.consent-expired";
  refused.explanation = "Say \"renew\"\nnow";
  Decision allowed;
  allowed.recipient = "council-a";
  allowed.verdict = Verdict::kAllow;
  allowed.rule = "R1.override-with-decision-record";
  allowed.explanation = "ok";
  allowed.basis_used = sghub::v1::OVERRIDE_BASIS_VITAL_INTERESTS;
  allowed.shown_not_consented = true;

  EXPECT_EQ(DecisionsToJson({refused, allowed}),
            R"({"decisions":[{"recipient":"police-x","verdict":"refuse",)"
            R"("reason_code":"CONSENT_EXPIRED","rule":"R1.consent-expired",)"
            R"("explanation":"Say \"renew\"\nnow","consent_based":false,"basis_used":null,)"
            R"("shown_not_consented":false},{"recipient":"council-a","verdict":"allow",)"
            R"("reason_code":null,"rule":"R1.override-with-decision-record","explanation":"ok",)"
            R"("consent_based":false,"basis_used":"vital_interests","shown_not_consented":true}]})"
            "\n");
  EXPECT_EQ(DecisionsToJson({}), "{\"decisions\":[]}\n");
}

TEST(ExplainDecisionsTest, SaysOnConsentForConsentBasedAllows) {
  std::vector<RecipientInfo> recipients = {Recipient(sghub::v1::AGENCY_KIND_COUNCIL)};
  std::vector<Decision> d =
      PolicyEngine(DefaultPolicy()).Decide(BaseHeader(), recipients, {}, kNowMs);
  EXPECT_EQ(ExplainDecisions(d),
            "council-a: ALLOW on consent [R1.consent-in-scope]\n"
            "  Allowed on consent: the person consented to sharing with council for "
            "safeguarding until 2024-05-31T10:00:00Z.\n");
}

}  // namespace
}  // namespace hub::policy
