#include "hub/wire/agency_keys.h"

#include <gtest/gtest.h>
#include <sodium.h>

namespace hub::wire {
namespace {

TEST(AgencyIdTest, AcceptsLowerCaseDigitsAndPunctuation) {
  EXPECT_TRUE(ValidateAgencyId("nhs-north").ok());
  EXPECT_TRUE(ValidateAgencyId("a").ok());
  EXPECT_TRUE(ValidateAgencyId("council_east.2").ok());
  EXPECT_TRUE(ValidateAgencyId(std::string(64, 'x')).ok());
}

TEST(AgencyIdTest, RefusesEmptyLongAndForeignCharacters) {
  for (const char* bad : {"", "NHS", "nhs north", "nhs/north", "nhs\nnorth", "é"}) {
    const Status s = ValidateAgencyId(bad);
    EXPECT_TRUE(s.IsInvalidArgument()) << bad;
    EXPECT_EQ(s.field(), "agency.id");
  }
  EXPECT_FALSE(ValidateAgencyId(std::string(65, 'x')).ok());
}

TEST(AgencyKindTest, NamesRoundTrip) {
  for (const char* name : {"nhs_mh", "council", "police", "hub"}) {
    auto kind = ParseAgencyKind(name);
    ASSERT_TRUE(kind.ok()) << name;
    EXPECT_EQ(AgencyKindName(*kind), name);
  }
  auto bad = ParseAgencyKind("ambulance");
  EXPECT_TRUE(bad.status().IsInvalidArgument());
  EXPECT_NE(bad.status().message().find("nhs_mh, council, police, hub"), std::string::npos);
}

TEST(AgencyKeysTest, GeneratesThreeDistinctKeypairsWhosePublicHalvesMatch) {
  auto keys = AgencyKeys::Generate("nhs-north", sghub::v1::AGENCY_KIND_NHS_MH);
  ASSERT_TRUE(keys.ok()) << keys.status().ToString();
  const AgencyCard& card = keys->card();
  EXPECT_EQ(card.id, "nhs-north");
  EXPECT_EQ(card.kind, sghub::v1::AGENCY_KIND_NHS_MH);
  EXPECT_EQ(keys->transport_secret().size(), 32u);
  EXPECT_EQ(keys->signing_secret().size(), 64u);
  EXPECT_EQ(keys->sealing_secret().size(), 32u);
  EXPECT_NE(card.transport, card.signing);
  EXPECT_NE(card.transport, card.sealing);
  EXPECT_NE(card.signing, card.sealing);

  unsigned char pk[32];
  crypto_scalarmult_base(
      pk, reinterpret_cast<const unsigned char*>(keys->sealing_secret().bytes().data()));
  EXPECT_EQ(0, std::memcmp(pk, card.sealing.bytes.data(), 32));
  crypto_scalarmult_base(
      pk, reinterpret_cast<const unsigned char*>(keys->transport_secret().bytes().data()));
  EXPECT_EQ(0, std::memcmp(pk, card.transport.bytes.data(), 32));
  // libsodium's Ed25519 secret key carries its public key in the last 32 bytes.
  EXPECT_EQ(0,
            std::memcmp(keys->signing_secret().bytes().data() + 32, card.signing.bytes.data(), 32));
}

TEST(AgencyKeysTest, TwoGenerationsDiffer) {
  auto a = AgencyKeys::Generate("a", sghub::v1::AGENCY_KIND_POLICE);
  auto b = AgencyKeys::Generate("a", sghub::v1::AGENCY_KIND_POLICE);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(a->card().signing, b->card().signing);
}

TEST(AgencyKeysTest, RefusesBadIdAndUnspecifiedKind) {
  EXPECT_TRUE(
      AgencyKeys::Generate("Bad Id", sghub::v1::AGENCY_KIND_HUB).status().IsInvalidArgument());
  EXPECT_TRUE(
      AgencyKeys::Generate("ok", sghub::v1::AGENCY_KIND_UNSPECIFIED).status().IsInvalidArgument());
  EXPECT_TRUE(AgencyKeys::Generate("ok", static_cast<sghub::v1::AgencyKind>(9))
                  .status()
                  .IsInvalidArgument());
}

TEST(PublicKeyTest, HexRoundTripsAndFingerprintIsShortAndStable) {
  PublicKey key;
  for (size_t i = 0; i < 32; ++i) {
    key.bytes[i] = static_cast<std::byte>(i);
  }
  EXPECT_EQ(key.Hex(), "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
  auto parsed = PublicKey::FromHex(key.Hex(), "k");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(*parsed, key);
  auto upper =
      PublicKey::FromHex("000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F", "k");
  ASSERT_TRUE(upper.ok());
  EXPECT_EQ(*upper, key);
  EXPECT_EQ(key.Fingerprint().size(), 16u);
  EXPECT_EQ(key.Fingerprint(), key.Fingerprint());
  PublicKey other = key;
  other.bytes[0] = std::byte{1};
  EXPECT_NE(other.Fingerprint(), key.Fingerprint());
}

TEST(PublicKeyTest, FromHexNamesTheFieldOnError) {
  auto short_hex = PublicKey::FromHex("abcd", "agency.signing_public");
  EXPECT_EQ(short_hex.status().field(), "agency.signing_public");
  EXPECT_NE(short_hex.status().message().find("agency.signing_public"), std::string::npos);
  EXPECT_FALSE(PublicKey::FromHex(std::string(63, 'a') + "g", "k").ok());
}

}  // namespace
}  // namespace hub::wire
