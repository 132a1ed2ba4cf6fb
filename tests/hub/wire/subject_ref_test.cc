#include "hub/wire/subject_ref.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <random>
#include <string>

#include "tests/testutil/temp_dir.h"

namespace hub::wire {
namespace {

// The NHS modulus 11 check digit of nine digits, or 10 when no check digit exists. Written
// from the NHS Data Dictionary description, independently of the code under test.
int CheckDigit(const std::string& nine) {
  int sum = 0;
  for (int i = 0; i < 9; ++i) {
    sum += (nine[static_cast<size_t>(i)] - '0') * (10 - i);
  }
  const int check = 11 - (sum % 11);
  return check == 11 ? 0 : check;
}

SubjectKey Key(char fill) {
  const std::string bytes(32, fill);
  return std::move(SubjectKey::FromBytes(AsBytes(bytes))).value();
}

TEST(NhsNumberTest, PublishedExamplesAreAccepted) {
  for (const char* valid : {"9434765919", "943 476 5919", "943-476-5919", " 9434765919 ",
                            "4010232137", "401 023 2137", "9876543210"}) {
    auto n = NormaliseNhsNumber(valid);
    ASSERT_TRUE(n.ok()) << valid << ": " << n.status().ToString();
    EXPECT_EQ(n->size(), 10u);
  }
  EXPECT_EQ(*NormaliseNhsNumber("943 476 5919"), "9434765919");
}

TEST(NhsNumberTest, PropertyValidCheckDigitsAcceptedEveryWrongOneRejected) {
  std::mt19937_64 rng(20240601);
  std::uniform_int_distribution<int> digit(0, 9);
  int accepted = 0;
  int no_check_digit = 0;
  for (int n = 0; n < 100'000; ++n) {
    std::string nine;
    for (int i = 0; i < 9; ++i) {
      nine.push_back(static_cast<char>('0' + digit(rng)));
    }
    const int check = CheckDigit(nine);
    for (int last = 0; last <= 9; ++last) {
      const std::string number = nine + static_cast<char>('0' + last);
      auto result = NormaliseNhsNumber(number);
      if (check != 10 && last == check) {
        ASSERT_TRUE(result.ok()) << number;
        ASSERT_EQ(*result, number);
        ++accepted;
      } else {
        ASSERT_FALSE(result.ok()) << number << " accepted with check " << check;
        ASSERT_EQ(result.status().field(), "nhs_number");
      }
    }
    if (check == 10) {
      ++no_check_digit;
    }
  }
  // About 1 in 11 prefixes has no valid check digit; make sure both paths were exercised.
  EXPECT_GT(no_check_digit, 5000);
  EXPECT_EQ(accepted + no_check_digit, 100'000);
}

TEST(NhsNumberTest, CheckDigitTenNumbersAreRejectedWithAClearReason) {
  // 123456789: 1*10+2*9+...+9*2 = 210, 210 mod 11 = 1, 11 - 1 = 10: no valid check digit.
  ASSERT_EQ(CheckDigit("123456789"), 10);
  for (char last = '0'; last <= '9'; ++last) {
    auto r = NormaliseNhsNumber(std::string("123456789") + last);
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.status().message().find("10"), std::string::npos);
  }
}

TEST(NhsNumberTest, WrongLengthsAndCharactersAreRejectedWithoutEchoingTheNumber) {
  for (const char* bad : {"", "943476591", "94347659190", "943476591X", "943.476.5919",
                          "943 476 591 9 0", "９４３４７６５９１９"}) {
    auto r = NormaliseNhsNumber(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().field(), "nhs_number");
    EXPECT_EQ(r.status().message().find("943476591"), std::string::npos);
  }
  auto wrong = NormaliseNhsNumber("9434765918");
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.status().message().find("9434765918"), std::string::npos);
  EXPECT_NE(wrong.status().message().find("modulus 11"), std::string::npos);
}

TEST(DemographicsTest, EquivalentSpellingsNormaliseTheSame) {
  const std::string expected = std::string("OBRIEN\x1f") + "1960-02-01\x1f" + "SW1A 1AA";
  for (const auto& [family, dob, postcode] :
       std::initializer_list<std::tuple<const char*, const char*, const char*>>{
           {"O'Brien", "1960-02-01", "SW1A 1AA"},
           {"  o'brien ", "01/02/1960", "sw1a1aa"},
           {"O\u2019BRIEN", "01-02-1960", " sw1a  1aa "},
           {"obrien", "1/2/1960", "Sw1A 1aA"},
           {"O.Brien", "1-2-1960", "SW1A1AA"}}) {
    auto n = NormaliseDemographics(family, dob, postcode);
    ASSERT_TRUE(n.ok()) << family << " " << dob << " " << postcode << ": " << n.status().ToString();
    EXPECT_EQ(*n, expected) << family << " " << dob << " " << postcode;
  }
}

TEST(DemographicsTest, FamilyNameRules) {
  EXPECT_EQ(*NormaliseFamilyName("Smith-Jones"), "SMITH JONES");
  EXPECT_EQ(*NormaliseFamilyName("smith   jones"), "SMITH JONES");
  EXPECT_EQ(*NormaliseFamilyName("  van der  Berg\t"), "VAN DER BERG");
  EXPECT_EQ(*NormaliseFamilyName("Ó Súilleabháin"), "Ó SúILLEABHáIN");  // non-ASCII kept
  EXPECT_EQ(NormaliseFamilyName("").status().field(), "family_name");
  EXPECT_EQ(NormaliseFamilyName(" - ' ").status().field(), "family_name");
  EXPECT_EQ(NormaliseFamilyName("Sm1th").status().field(), "family_name");
  EXPECT_EQ(NormaliseFamilyName("Smith, J").status().field(), "family_name");
  EXPECT_FALSE(NormaliseFamilyName(std::string(101, 'a')).ok());
}

TEST(DemographicsTest, DatesMustBeRealCalendarDates) {
  EXPECT_EQ(*NormaliseDateOfBirth("2000-02-29"), "2000-02-29");
  EXPECT_EQ(*NormaliseDateOfBirth("29/02/1960"), "1960-02-29");
  EXPECT_EQ(*NormaliseDateOfBirth("31-12-1999"), "1999-12-31");
  for (const char* bad : {"1900-02-29", "29/02/1961", "1960-02-30", "31/04/1960", "1960-13-01",
                          "00/01/1960", "1960-1-01", "01/02/60", "1960/02/01", "01.02.1960",
                          "1849-12-31", "01-02/1960", "", "yesterday"}) {
    auto r = NormaliseDateOfBirth(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().field(), "date_of_birth");
  }
}

TEST(DemographicsTest, PostcodesAreShapeCheckedAndSpacedCanonically) {
  EXPECT_EQ(*NormalisePostcode("m11ae"), "M1 1AE");
  EXPECT_EQ(*NormalisePostcode("B33 8TH"), "B33 8TH");
  EXPECT_EQ(*NormalisePostcode("cr2 6xh"), "CR2 6XH");
  EXPECT_EQ(*NormalisePostcode("DN551PT"), "DN55 1PT");
  EXPECT_EQ(*NormalisePostcode("w1a 1hq"), "W1A 1HQ");
  EXPECT_EQ(*NormalisePostcode("EC1A1BB"), "EC1A 1BB");
  EXPECT_EQ(*NormalisePostcode("gir 0aa"), "GIR 0AA");
  for (const char* bad : {"", "SW1A", "SW1A 1A", "1SW 1AA", "SW1A 11A", "SW1A1AAA", "ABCD 1AA",
                          "SW1A-1AA", "S 1AA"}) {
    auto r = NormalisePostcode(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().field(), "postcode");
  }
}

TEST(SubjectRefTest, SameSubjectGivesSameRefWhateverTheFormatting) {
  const SubjectKey key = Key('k');
  auto a = SubjectRefFromNhsNumber(key, "943 476 5919");
  auto b = SubjectRefFromNhsNumber(key, "9434765919");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(*a, *b);
  auto c = SubjectRefFromDemographics(key, "o'brien", "01/02/1960", "sw1a1aa");
  auto d = SubjectRefFromDemographics(key, "O'BRIEN", "1960-02-01", "SW1A 1AA");
  ASSERT_TRUE(c.ok() && d.ok());
  EXPECT_EQ(*c, *d);
  EXPECT_NE(*a, *c);
}

TEST(SubjectRefTest, DifferentKeysOrSubjectsGiveDifferentRefs) {
  auto a = SubjectRefFromNhsNumber(Key('k'), "9434765919");
  auto b = SubjectRefFromNhsNumber(Key('j'), "9434765919");
  auto c = SubjectRefFromNhsNumber(Key('k'), "4010232137");
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  EXPECT_NE(*a, *b);
  EXPECT_NE(*a, *c);
}

TEST(SubjectRefTest, InvalidIdentifiersGiveNoRef) {
  EXPECT_FALSE(SubjectRefFromNhsNumber(Key('k'), "9434765918").ok());
  EXPECT_FALSE(SubjectRefFromDemographics(Key('k'), "Smith", "1960-02-30", "SW1A 1AA").ok());
}

TEST(SubjectKeyTest, FileRoundTripsWithMode0600AndLooseModesAreRefused) {
  hub::testutil::TempDir dir;
  const auto path = dir / "subject.key";
  auto key = SubjectKey::Generate();
  ASSERT_TRUE(key.ok());
  ASSERT_TRUE(key->WriteFile(path).ok());
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  auto loaded = SubjectKey::LoadFile(path);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_TRUE(std::equal(loaded->secret().bytes().begin(), loaded->secret().bytes().end(),
                         key->secret().bytes().begin()));
  EXPECT_EQ(key->WriteFile(path).code(), Status::Code::kAlreadyExists);

  ASSERT_EQ(::chmod(path.c_str(), 0644), 0);
  auto refused = SubjectKey::LoadFile(path);
  EXPECT_TRUE(refused.status().IsPermissionDenied());
  EXPECT_NE(refused.status().message().find("0644"), std::string::npos);
  EXPECT_NE(refused.status().message().find("chmod 600"), std::string::npos);
}

}  // namespace
}  // namespace hub::wire
