// The [[agency]] registry of the hub configuration: cards, inline keys, cross-entry checks
// and the SIGHUP reload path (LoadAgencies).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "hub/config/hub_config.h"
#include "tests/hub/config/config_fixture.h"

namespace hub::config {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

class AgencyRegistryTest : public ConfigFixture {
 protected:
  void SetUp() override {
    ConfigFixture::SetUp();
    north_ = NewCard("nhs-north", sghub::v1::AGENCY_KIND_NHS_MH);
    council_ = NewCard("council-east", sghub::v1::AGENCY_KIND_COUNCIL);
    police_ = NewCard("police-east", sghub::v1::AGENCY_KIND_POLICE);
  }

  wire::AgencyCard north_;
  wire::AgencyCard council_;
  wire::AgencyCard police_;
};

TEST_F(AgencyRegistryTest, DuplicateAgencyIdsAreRefusedAtTheSecondId) {
  wire::AgencyCard again = NewCard("nhs-north", sghub::v1::AGENCY_KIND_NHS_MH);
  // Lines 6-11 and 12-17.
  std::string text =
      std::string(kHubSection) + InlineAgency(north_, "nhs_mh") + InlineAgency(again, "nhs_mh");
  EXPECT_THAT(
      Errors(text),
      ElementsAre(Err(13, "agency[1].id", "agency \"nhs-north\" is already registered at line 7")));
}

TEST_F(AgencyRegistryTest, DuplicateTransportKeysAreRefused) {
  wire::AgencyCard copy = council_;
  copy.transport = north_.transport;
  std::string text =
      std::string(kHubSection) + InlineAgency(north_, "nhs_mh") + InlineAgency(copy, "council");
  EXPECT_THAT(Errors(text),
              ElementsAre(Err(15, "agency[1].transport_public",
                              "transport key is already registered to agency \"nhs-north\" "
                              "(line 7); every agency needs its own keys")));
}

TEST_F(AgencyRegistryTest, DuplicateTransportKeyInACardFileIsReportedAtTheCardLine) {
  wire::AgencyCard copy = council_;
  copy.transport = north_.transport;
  WriteCard(copy, "council.card");
  std::string text = std::string(kHubSection) + InlineAgency(north_, "nhs_mh") +
                     "[[agency]]\nid = \"council-east\"\ncard = \"council.card\"\n";
  EXPECT_THAT(
      Errors(text),
      ElementsAre(StartsWith(Err(14, "agency[1].card", "transport key is already registered"))));
}

TEST_F(AgencyRegistryTest, CardFileForAnotherAgencyIsRefused) {
  WriteCard(police_, "agencies/police.card.toml");
  std::string text = std::string(kHubSection) + R"([[agency]]
id = "council-east"
card = "agencies/police.card.toml"
)";
  EXPECT_THAT(Errors(text),
              ElementsAre(Err(8, "agency[0].card",
                              "card file \"" + Path("agencies/police.card.toml").string() +
                                  "\" is for agency \"police-east\", not \"council-east\"")));
}

TEST_F(AgencyRegistryTest, UnreadableCardFileIsReportedWithTheCardsOwnError) {
  WriteFile("bad.card", "[agency]\nid = \"council-east\"\nkind = \"council\"\n");
  std::string text = std::string(kHubSection) + R"([[agency]]
id = "council-east"
card = "bad.card"
[[agency]]
id = "police-east"
card = "absent.card"
)";
  std::vector<std::string> errors = Errors(text);
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_THAT(errors[0], StartsWith(Err(8, "agency[0].card", "cannot use card file: ")));
  EXPECT_THAT(errors[0], HasSubstr("bad.card"));
  EXPECT_THAT(errors[1], StartsWith(Err(11, "agency[1].card", "cannot use card file: ")));
}

TEST_F(AgencyRegistryTest, EscalationContactMustBeAnotherRegisteredAgency) {
  std::string text =
      std::string(kHubSection) + InlineAgency(north_, "nhs_mh") +
      "escalation_contact = \"nhs-north-lead\"\n" +                                    // line 12
      InlineAgency(council_, "council") + "escalation_contact = \"council-east\"\n" +  // line 19
      InlineAgency(police_, "police") + "escalation_contact = \"council-east\"\n";  // line 26: fine
  EXPECT_THAT(Errors(text),
              ElementsAre(Err(12, "agency[0].escalation_contact",
                              "\"nhs-north-lead\" is not a registered agency"),
                          StartsWith(Err(19, "agency[1].escalation_contact",
                                         "an agency cannot be its own escalation contact"))));
}

TEST_F(AgencyRegistryTest, CardAndInlineKeysTogetherAreRefused) {
  WriteCard(north_, "north.card");
  std::string text = std::string(kHubSection) + R"([[agency]]
id = "nhs-north"
card = "north.card"
signing_public = "00"
)";
  EXPECT_THAT(Errors(text),
              ElementsAre(Err(8, "agency[0].card",
                              "give either a card file or the inline keys (kind, "
                              "transport_public, signing_public, sealing_public), not both; "
                              "inline signing_public is at line 9")));
}

TEST_F(AgencyRegistryTest, NeitherCardNorInlineKeysIsRefusedAtTheTableLine) {
  std::string text = std::string(kHubSection) + "\n[[agency]]\nid = \"nhs-north\"\n";
  EXPECT_THAT(Errors(text),
              ElementsAre(StartsWith(Err(7, "agency[0].card", "missing: give card"))));
}

TEST_F(AgencyRegistryTest, IncompleteInlineKeysAreEachReportedMissing) {
  std::string text = std::string(kHubSection) + R"([[agency]]
id = "nhs-north"
kind = "nhs_mh"
transport_public = ")" +
                     north_.transport.Hex() + "\"\n";
  EXPECT_THAT(Errors(text), ElementsAre(Err(6, "agency[0].signing_public", "missing (required)"),
                                        Err(6, "agency[0].sealing_public", "missing (required)")));
}

TEST_F(AgencyRegistryTest, HexKeysMustBe64HexCharacters) {
  std::string bad_char = north_.signing.Hex();
  bad_char[10] = 'g';
  std::string text = std::string(kHubSection) + R"([[agency]]
id = "nhs-north"
kind = "nhs_mh"
transport_public = ")" +
                     north_.transport.Hex().substr(0, 62) + R"("
signing_public = ")" +
                     bad_char + R"("
sealing_public = ")" +
                     north_.sealing.Hex() + "00" + "\"\n";
  EXPECT_THAT(
      Errors(text),
      ElementsAre(
          Err(9, "agency[0].transport_public", "a public key is 64 hex characters, got 62"),
          Err(10, "agency[0].signing_public", "character 11 is not a hex digit"),
          Err(11, "agency[0].sealing_public", "a public key is 64 hex characters, got 66")));
}

TEST_F(AgencyRegistryTest, KindMustBeAnAgencyKind) {
  std::string text =
      std::string(kHubSection) + InlineAgency(north_, "nhs") + InlineAgency(council_, "hub");
  EXPECT_THAT(Errors(text),
              ElementsAre(StartsWith(Err(8, "agency[0].kind", "agency kind \"nhs\" is not one")),
                          Err(14, "agency[1].kind",
                              "\"hub\" is the hub's own kind; an agency is nhs_mh, council or "
                              "police")));
}

TEST_F(AgencyRegistryTest, AgencyIdMustBeValidAndNotTheHubs) {
  wire::AgencyCard hub_named = north_;
  hub_named.id = "hub";
  wire::AgencyCard upper = council_;
  upper.id = "Council";
  std::string text =
      std::string(kHubSection) + InlineAgency(hub_named, "nhs_mh") + InlineAgency(upper, "council");
  EXPECT_THAT(Errors(text),
              ElementsAre(Err(7, "agency[0].id", "\"hub\" is the hub's own id (hub.id)"),
                          StartsWith(Err(13, "agency[1].id", "agency id has a character"))));
}

TEST_F(AgencyRegistryTest, UnknownAndMistypedAgencyKeysAreErrors) {
  std::string text =
      std::string(kHubSection) + InlineAgency(north_, "nhs_mh") + "revokd = true\nname = 7\n";
  EXPECT_THAT(Errors(text),
              ElementsAre(Err(12, "agency[0].revokd", "unknown key (did you mean \"revoked\"?)"),
                          Err(13, "agency[0].name", "expected a string, got an integer")));
}

TEST_F(AgencyRegistryTest, SingleAgencyTableIsRefused) {
  std::string text = std::string(kHubSection) + "[agency]\nid = \"nhs-north\"\n";
  EXPECT_THAT(Errors(text),
              ElementsAre(Err(6, "agency",
                              "write one [[agency]] section per agency (an array of tables)")));
}

TEST_F(AgencyRegistryTest, LoadAgenciesReloadsTheRegistryFromDisk) {
  WriteCard(north_, "agencies/nhs-north.card.toml");
  std::string base = std::string(kHubSection) +
                     "[[agency]]\nid = \"nhs-north\"\ncard = \"agencies/nhs-north.card.toml\"\n";
  WriteFile("sghubd.toml", base + InlineAgency(council_, "council"));
  Result<HubConfig> first = LoadHubConfig(Path("sghubd.toml"));
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  ASSERT_EQ(first->agencies.size(), 2u);

  // The operator revokes the council, adds the police and sends SIGHUP.
  WriteFile("sghubd.toml", base + InlineAgency(council_, "council") + "revoked = true\n" +
                               InlineAgency(police_, "police"));
  Result<std::vector<AgencyEntry>> reloaded = LoadAgencies(Path("sghubd.toml"));
  ASSERT_TRUE(reloaded.ok()) << reloaded.status().ToString();
  ASSERT_EQ(reloaded->size(), 3u);
  EXPECT_EQ((*reloaded)[0].card.id, "nhs-north");
  EXPECT_EQ((*reloaded)[0].card.transport, north_.transport);
  EXPECT_FALSE((*reloaded)[0].revoked);
  EXPECT_EQ((*reloaded)[1].card.id, "council-east");
  EXPECT_TRUE((*reloaded)[1].revoked);
  EXPECT_EQ((*reloaded)[2].card.id, "police-east");
  EXPECT_EQ((*reloaded)[2].card.signing, police_.signing);

  // The agency is removed altogether.
  WriteFile("sghubd.toml", base);
  reloaded = LoadAgencies(Path("sghubd.toml"));
  ASSERT_TRUE(reloaded.ok()) << reloaded.status().ToString();
  ASSERT_EQ(reloaded->size(), 1u);
}

TEST_F(AgencyRegistryTest, LoadAgenciesRefusesABrokenFileWithFileLineKey) {
  WriteFile("sghubd.toml", std::string(kHubSection) + InlineAgency(north_, "nhs_mh") +
                               InlineAgency(north_, "nhs_mh"));
  Result<std::vector<AgencyEntry>> reloaded = LoadAgencies(Path("sghubd.toml"));
  ASSERT_FALSE(reloaded.ok());
  EXPECT_TRUE(reloaded.status().IsInvalidArgument());
  EXPECT_THAT(reloaded.status().message(),
              HasSubstr(Err(13, "agency[1].id", "agency \"nhs-north\" is already registered")));
  EXPECT_TRUE(LoadAgencies(Path("absent.toml")).status().IsNotFound());
}

}  // namespace
}  // namespace hub::config
