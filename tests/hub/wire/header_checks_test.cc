#include "hub/wire/header_checks.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "hub/wire/envelope.h"
#include "tests/hub/wire/wire_test_util.h"

namespace hub::wire {
namespace {

using testing::BuildEnvelopeUnchecked;
using testing::MakeAgency;
using testing::MakeBody;
using testing::MakeHeader;
using testing::SealKeysFor;

struct HeaderCase {
  std::string name;
  std::function<void(sghub::v1::Header&)> edit;
  sghub::v1::ReasonCode reason;
  std::string field;
};

class HeaderChecksTest : public ::testing::Test {
 protected:
  HeaderChecksTest()
      : sender_(MakeAgency("nhs-north", sghub::v1::AGENCY_KIND_NHS_MH)),
        council_(MakeAgency("council-east", sghub::v1::AGENCY_KIND_COUNCIL)) {}

  // Checks that the broken header is refused by ParseEnvelope (signed by a sender who
  // skipped the checks) and by SealEnvelope, with the same reason code and field.
  void ExpectRefused(const HeaderCase& c, const Limits& limits = Limits{}) {
    SCOPED_TRACE(c.name);
    sghub::v1::Header header = MakeHeader("nhs-north", {"council-east"});
    c.edit(header);
    const std::vector<RecipientSealKey> keys = {{"council-east", council_.card().sealing}};
    const std::string bytes =
        BuildEnvelopeUnchecked(header.SerializeAsString(), MakeBody(header).SerializeAsString(),
                               keys, sender_.signing_secret());
    auto parsed = ParseEnvelope(AsBytes(bytes), limits);
    ASSERT_FALSE(parsed.ok());
    EXPECT_TRUE(parsed.status().IsInvalidArgument());
    EXPECT_EQ(parsed.status().reason_code(), c.reason) << parsed.status().ToString();
    EXPECT_EQ(parsed.status().field(), c.field) << parsed.status().ToString();
    EXPECT_EQ(parsed.status().message().rfind(c.field, 0), 0u)
        << "message should start with the field: " << parsed.status().message();

    auto sealed = SealEnvelope(header, MakeBody(header), keys, sender_.signing_secret());
    ASSERT_FALSE(sealed.ok());
    EXPECT_EQ(sealed.status().field(), c.field) << sealed.status().ToString();
  }

  AgencyKeys sender_;
  AgencyKeys council_;
};

TEST_F(HeaderChecksTest, ValidHeaderPasses) {
  const sghub::v1::Header header = MakeHeader("nhs-north", {"council-east"});
  EXPECT_TRUE(ValidateHeader(header, header.ByteSizeLong(), Limits{}).ok());
}

TEST_F(HeaderChecksTest, CategoryIsRequiredOnlyForConcernsAndUpdates) {
  sghub::v1::Header header = MakeHeader("nhs-north", {"council-east"});
  header.clear_category();
  for (auto kind : {sghub::v1::ALERT_KIND_OUTCOME, sghub::v1::ALERT_KIND_CONSENT_CHANGE,
                    sghub::v1::ALERT_KIND_INFO_REQUEST}) {
    header.set_kind(kind);
    if (kind == sghub::v1::ALERT_KIND_OUTCOME) {
      header.set_in_reply_to(std::string(16, 'r'));
    }
    EXPECT_TRUE(ValidateHeader(header, header.ByteSizeLong(), Limits{}).ok())
        << sghub::v1::AlertKind_Name(kind);
  }
  header.set_kind(sghub::v1::ALERT_KIND_UPDATE);
  EXPECT_EQ(ValidateHeader(header, header.ByteSizeLong(), Limits{}).field(), "header.category");
}

TEST_F(HeaderChecksTest, EachStructuralFaultIsRefusedWithItsFieldAndReason) {
  using sghub::v1::Header;
  const auto kInvalid = sghub::v1::REASON_CODE_INVALID_FIELD;
  const auto kMissing = sghub::v1::REASON_CODE_MISSING_FIELD;
  const HeaderCase cases[] = {
      {"version", [](Header& h) { h.set_version(2); }, kInvalid, "header.version"},
      {"no version", [](Header& h) { h.clear_version(); }, kInvalid, "header.version"},
      {"no message id", [](Header& h) { h.clear_message_id(); }, kMissing, "header.message_id"},
      {"short message id", [](Header& h) { h.set_message_id(std::string(15, 'm')); }, kInvalid,
       "header.message_id"},
      {"no sender", [](Header& h) { h.clear_sender(); }, kMissing, "header.sender"},
      {"bad sender", [](Header& h) { h.set_sender("NHS North"); }, kInvalid, "header.sender"},
      {"no recipients", [](Header& h) { h.clear_recipients(); }, kMissing, "header.recipients"},
      {"bad recipient", [](Header& h) { h.add_recipients("Bad/Id"); }, kInvalid,
       "header.recipients[1]"},
      {"duplicate recipient", [](Header& h) { h.add_recipients("council-east"); }, kInvalid,
       "header.recipients[1]"},
      {"no kind", [](Header& h) { h.clear_kind(); }, kMissing, "header.kind"},
      {"unknown kind", [](Header& h) { h.set_kind(static_cast<sghub::v1::AlertKind>(99)); },
       kInvalid, "header.kind"},
      {"no category", [](Header& h) { h.clear_category(); }, kMissing, "header.category"},
      {"no urgency", [](Header& h) { h.clear_urgency(); }, kMissing, "header.urgency"},
      {"unknown urgency", [](Header& h) { h.set_urgency(static_cast<sghub::v1::Urgency>(7)); },
       kInvalid, "header.urgency"},
      {"no purpose", [](Header& h) { h.clear_purpose(); }, kMissing, "header.purpose"},
      {"unknown consent state",
       [](Header& h) { h.mutable_consent()->set_state(static_cast<sghub::v1::ConsentState>(77)); },
       kInvalid, "header.consent.state"},
      {"unknown scope kind",
       [](Header& h) {
         h.mutable_consent()->mutable_scope()->add_recipient_kinds(
             static_cast<sghub::v1::AgencyKind>(42));
       },
       kInvalid, "header.consent.scope.recipient_kinds[1]"},
      {"no created_at", [](Header& h) { h.clear_created_at_ms(); }, kMissing,
       "header.created_at_ms"},
      {"negative created_at", [](Header& h) { h.set_created_at_ms(-5); }, kInvalid,
       "header.created_at_ms"},
      {"expires before created", [](Header& h) { h.set_expires_at_ms(h.created_at_ms()); },
       kInvalid, "header.expires_at_ms"},
      {"no subject refs", [](Header& h) { h.clear_subject_refs(); }, kMissing,
       "header.subject_refs"},
      {"short subject ref", [](Header& h) { h.add_subject_refs(std::string(31, 'r')); }, kInvalid,
       "header.subject_refs[1]"},
      {"bad in_reply_to", [](Header& h) { h.set_in_reply_to("abc"); }, kInvalid,
       "header.in_reply_to"},
  };
  for (const HeaderCase& c : cases) {
    ExpectRefused(c);
  }
}

}  // namespace
}  // namespace hub::wire
