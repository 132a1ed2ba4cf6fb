#include "adapters/codecs/nhs_number.h"

#include <gtest/gtest.h>

namespace hub::codecs {
namespace {

TEST(NhsNumberTest, AcceptsValidNumbersWithSpacesOrHyphens) {
  EXPECT_EQ(NormaliseNhsNumberForCodec("9434765919"), "9434765919");
  EXPECT_EQ(NormaliseNhsNumberForCodec("943 476 5919"), "9434765919");
  EXPECT_EQ(NormaliseNhsNumberForCodec("943-476-5919"), "9434765919");
}

TEST(NhsNumberTest, RefusesWrongCheckDigitsLengthsAndCharacters) {
  EXPECT_FALSE(NormaliseNhsNumberForCodec("9434765918"));
  EXPECT_FALSE(NormaliseNhsNumberForCodec("3478526985"));  // the BaRS fixtures' number
  EXPECT_FALSE(NormaliseNhsNumberForCodec("943476591"));
  EXPECT_FALSE(NormaliseNhsNumberForCodec("94347659190"));
  EXPECT_FALSE(NormaliseNhsNumberForCodec("94347659l9"));
  EXPECT_FALSE(NormaliseNhsNumberForCodec(""));
}

TEST(NhsNumberTest, RefusesNumbersWhoseCheckDigitWouldBeTen) {
  // 000000006: 6 x weight 2 = 12; 12 mod 11 = 1; 11 - 1 = 10, which no digit can carry.
  for (char last = '0'; last <= '9'; ++last) {
    EXPECT_FALSE(NormaliseNhsNumberForCodec(std::string("000000006") + last));
  }
}

}  // namespace
}  // namespace hub::codecs
