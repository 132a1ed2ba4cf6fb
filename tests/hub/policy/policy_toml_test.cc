#include "hub/policy/policy_toml.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "hub/policy/policy_engine.h"
#include "hub/policy/rules.h"
#include "tests/hub/policy/policy_test_util.h"

namespace hub::policy {
namespace {

using namespace hub::policy::testing;  // NOLINT(google-build-using-namespace)

// Asserts that parsing fails and the message starts with "policy.toml:<line>:<key>:".
void ExpectRefused(const std::string& toml, int line, const std::string& key,
                   const std::string& why_part = "") {
  Result<PolicyConfig> result = ParsePolicyToml(toml, "policy.toml");
  ASSERT_FALSE(result.ok()) << "accepted:\n" << toml;
  EXPECT_TRUE(result.status().IsInvalidArgument());
  const std::string& msg = result.status().message();
  std::string where = "policy.toml:" + std::to_string(line) + ":" + key + ":";
  EXPECT_EQ(msg.rfind(where, 0), 0u) << "message: " << msg << "\nexpected prefix: " << where;
  if (!why_part.empty()) {
    EXPECT_NE(msg.find(why_part), std::string::npos) << "message: " << msg;
  }
}

TEST(PolicyTomlTest, NoPolicyTableGivesTheDefault) {
  Result<PolicyConfig> result = ParsePolicyToml("[hub]\nbind = \"tcp://*:5555\"\n", "hub.toml");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  PolicyConfig def = DefaultPolicy();
  EXPECT_TRUE(result->require_consent_expiry);
  EXPECT_FALSE(result->require_advice_sought);
  ASSERT_EQ(result->kinds.size(), def.kinds.size());
  for (const auto& [kind, kp] : def.kinds) {
    EXPECT_EQ(result->kinds.at(kind).allowed_override_bases, kp.allowed_override_bases);
    EXPECT_FALSE(result->kinds.at(kind).allowed_categories.has_value());
  }
}

TEST(PolicyTomlTest, AppliesAValidTightening) {
  const std::string toml = R"([policy]
require_consent_expiry = true
require_advice_sought = true
allowed_override_bases_police = ["vital_interests", "risk_to_others", "serious_crime"]

[policy.police]
categories = ["discriminatory", "targeted_hostility", "mate_crime", "cuckooing",
              "harassment", "exploitation", "physical", "sexual"]

[policy.council]
denied_categories = ["organisational"]
allowed_override_bases = ["vital_interests", "statutory_enquiry_s42"]
)";
  Result<PolicyConfig> result = ParsePolicyToml(toml, "policy.toml");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  const PolicyConfig& config = *result;
  EXPECT_TRUE(config.require_advice_sought);
  const KindPolicy& police = config.kinds.at(sghub::v1::AGENCY_KIND_POLICE);
  EXPECT_EQ(police.allowed_override_bases,
            (std::set<sghub::v1::OverrideBasis>{sghub::v1::OVERRIDE_BASIS_VITAL_INTERESTS,
                                                sghub::v1::OVERRIDE_BASIS_RISK_TO_OTHERS,
                                                sghub::v1::OVERRIDE_BASIS_SERIOUS_CRIME}));
  ASSERT_TRUE(police.allowed_categories.has_value());
  EXPECT_EQ(police.allowed_categories->size(), 8u);
  EXPECT_EQ(police.allowed_categories->count(sghub::v1::CATEGORY_FINANCIAL), 0u);
  const KindPolicy& council = config.kinds.at(sghub::v1::AGENCY_KIND_COUNCIL);
  EXPECT_EQ(council.denied_categories,
            (std::set<sghub::v1::Category>{sghub::v1::CATEGORY_ORGANISATIONAL}));
  EXPECT_EQ(council.allowed_override_bases.size(), 2u);
  // NHS is untouched.
  EXPECT_EQ(config.kinds.at(sghub::v1::AGENCY_KIND_NHS_MH).allowed_override_bases,
            StatutoryOverrideBases(sghub::v1::AGENCY_KIND_NHS_MH));

  // And the engine enforces it: a financial-abuse alert no longer reaches police.
  sghub::v1::Header header = BaseHeader();
  header.set_category(sghub::v1::CATEGORY_FINANCIAL);
  std::vector<RecipientInfo> recipients = {Recipient(sghub::v1::AGENCY_KIND_POLICE),
                                           Recipient(sghub::v1::AGENCY_KIND_NHS_MH)};
  std::vector<Decision> d = PolicyEngine(config).Decide(header, recipients, {}, kNowMs);
  EXPECT_EQ(d[0].reason_code, sghub::v1::REASON_CODE_POLICY_CATEGORY_NOT_ALLOWED);
  EXPECT_EQ(d[0].rule, rules::kOpCategoryForKind);
  EXPECT_TRUE(d[1].allowed());
}

TEST(PolicyTomlTest, AcceptsFullProtoNamesAndAnEmptyPoliceBaseList) {
  const std::string toml = R"([policy.police]
allowed_override_bases = []
categories = ["CATEGORY_HARASSMENT"]
)";
  Result<PolicyConfig> result = ParsePolicyToml(toml, "policy.toml");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_TRUE(result->kinds.at(sghub::v1::AGENCY_KIND_POLICE).allowed_override_bases.empty());
}

TEST(PolicyTomlTest, RefusesWideningPoliceBases) {
  ExpectRefused(R"([policy]
allowed_override_bases_police = ["vital_interests",
  "coercion_or_duress"]
)",
                3, "policy.allowed_override_bases_police", "coercion_or_duress");
}

TEST(PolicyTomlTest, RefusesWideningInAKindTable) {
  ExpectRefused("[policy.police]\n\nallowed_override_bases = [\"statutory_enquiry_s42\"]\n", 3,
                "policy.police.allowed_override_bases", "only remove");
}

TEST(PolicyTomlTest, RefusesTurningOffConsentExpiry) {
  ExpectRefused("[policy]\nrequire_consent_expiry = false\n", 2, "policy.require_consent_expiry",
                "only tighten");
}

TEST(PolicyTomlTest, RefusesAnUnknownKey) {
  ExpectRefused("[policy]\nrequire_consent_expiry = true\nallow_everything = true\n", 3,
                "policy.allow_everything", "unknown key");
}

TEST(PolicyTomlTest, RefusesAnUnknownKeyInAKindTable) {
  ExpectRefused("[policy.council]\ncategorys = [\"physical\"]\n", 2, "policy.council.categorys",
                "unknown key");
}

TEST(PolicyTomlTest, RefusesAnUnknownKindTable) {
  ExpectRefused("# probation is not a kind\n[policy.probation]\ncategories = [\"physical\"]\n", 2,
                "policy.probation", "unknown recipient kind");
}

TEST(PolicyTomlTest, RefusesAnUnknownKindInABasesKey) {
  ExpectRefused("[policy]\nallowed_override_bases_probation = []\n", 2,
                "policy.allowed_override_bases_probation", "probation");
}

TEST(PolicyTomlTest, RefusesAnUnknownCategoryAtItsLine) {
  ExpectRefused("[policy.police]\ncategories = [\n  \"physical\",\n  \"hate\",\n]\n", 4,
                "policy.police.categories", "unknown category \"hate\"");
}

TEST(PolicyTomlTest, RefusesAnUnknownBasis) {
  ExpectRefused("[policy]\nallowed_override_bases_council = [\"because\"]\n", 2,
                "policy.allowed_override_bases_council", "unknown override basis");
}

TEST(PolicyTomlTest, RefusesADuplicateEntry) {
  ExpectRefused("[policy.police]\ncategories = [\"sexual\", \"physical\", \"sexual\"]\n", 2,
                "policy.police.categories", "listed twice");
}

TEST(PolicyTomlTest, RefusesACategoryBothAllowedAndDenied) {
  ExpectRefused(R"([policy.police]
categories = ["physical", "cuckooing"]
denied_categories = ["financial",
   "cuckooing"]
)",
                4, "policy.police.denied_categories",
                "both allowed (policy.police.categories, line 2)");
}

TEST(PolicyTomlTest, RefusesAnEmptyCategoryList) {
  ExpectRefused("[policy.police]\ncategories = []\n", 2, "policy.police.categories",
                "stop every alert");
}

TEST(PolicyTomlTest, RefusesDenyingEveryCategory) {
  ExpectRefused(R"([policy.nhs_mh]
denied_categories = ["physical", "sexual", "psychological", "financial", "discriminatory",
  "domestic", "modern_slavery", "organisational", "neglect", "self_neglect",
  "targeted_hostility", "mate_crime", "cuckooing", "harassment", "exploitation"]
)",
                2, "policy.nhs_mh.denied_categories", "never receive");
}

TEST(PolicyTomlTest, RefusesBasesSetInTwoPlaces) {
  ExpectRefused(R"([policy]
allowed_override_bases_police = ["vital_interests"]
[policy.police]
allowed_override_bases = ["vital_interests"]
)",
                4, "policy.police.allowed_override_bases",
                "already set by "
                "policy.allowed_override_bases_police on line 2");
}

TEST(PolicyTomlTest, RefusesWrongTypes) {
  ExpectRefused("[policy]\nrequire_advice_sought = \"yes\"\n", 2, "policy.require_advice_sought",
                "true or false");
  ExpectRefused("[policy.police]\ncategories = \"physical\"\n", 2, "policy.police.categories",
                "array");
  ExpectRefused("[policy.police]\ncategories = [3]\n", 2, "policy.police.categories", "string");
  ExpectRefused("policy = 3\n", 1, "policy", "table");
}

TEST(PolicyTomlTest, RefusesBrokenTomlWithItsLine) {
  Result<PolicyConfig> result = ParsePolicyToml("[policy]\nrequire_advice_sought = \n", "p.toml");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().message().rfind("p.toml:2:", 0), 0u) << result.status().message();
}

TEST(ValidatePolicyTest, AcceptsTheDefault) { EXPECT_TRUE(ValidatePolicy(DefaultPolicy()).ok()); }

TEST(ValidatePolicyTest, RefusesWideningAndContradictionsBuiltInCode) {
  PolicyConfig wide = DefaultPolicy();
  wide.kinds[sghub::v1::AGENCY_KIND_POLICE].allowed_override_bases.insert(
      sghub::v1::OVERRIDE_BASIS_COERCION_OR_DURESS);
  EXPECT_FALSE(ValidatePolicy(wide).ok());

  PolicyConfig no_expiry = DefaultPolicy();
  no_expiry.require_consent_expiry = false;
  EXPECT_FALSE(ValidatePolicy(no_expiry).ok());

  PolicyConfig hub_kind = DefaultPolicy();
  hub_kind.kinds[sghub::v1::AGENCY_KIND_HUB] = {};
  EXPECT_FALSE(ValidatePolicy(hub_kind).ok());

  PolicyConfig both = DefaultPolicy();
  both.kinds[sghub::v1::AGENCY_KIND_COUNCIL].allowed_categories =
      std::set<sghub::v1::Category>{sghub::v1::CATEGORY_PHYSICAL};
  both.kinds[sghub::v1::AGENCY_KIND_COUNCIL].denied_categories = {sghub::v1::CATEGORY_PHYSICAL};
  Status status = ValidatePolicy(both);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.message().find("both allowed"), std::string::npos) << status.message();

  PolicyConfig empty = DefaultPolicy();
  empty.kinds[sghub::v1::AGENCY_KIND_POLICE].allowed_categories = std::set<sghub::v1::Category>{};
  EXPECT_FALSE(ValidatePolicy(empty).ok());
}

}  // namespace
}  // namespace hub::policy
