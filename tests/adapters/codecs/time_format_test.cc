#include "adapters/codecs/time_format.h"

#include <gtest/gtest.h>

namespace hub::codecs {
namespace {

TEST(TimeFormatTest, ParsesDatesAsMidnightUtc) {
  EXPECT_EQ(ParseIsoTimestampMs("1970-01-01"), 0);
  EXPECT_EQ(ParseIsoTimestampMs("2024-09-14"), 1'726'272'000'000);
}

TEST(TimeFormatTest, AppliesZoneOffsets) {
  EXPECT_EQ(ParseIsoTimestampMs("2024-03-14T10:42:00Z"), 1'710'412'920'000);
  EXPECT_EQ(ParseIsoTimestampMs("2024-03-14T11:42:00+01:00"), 1'710'412'920'000);
  EXPECT_EQ(ParseIsoTimestampMs("2024-03-14T03:42:00-07:00"), 1'710'412'920'000);
  EXPECT_EQ(ParseIsoTimestampMs("2024-03-14T10:42:00.250Z"), 1'710'412'920'250);
  EXPECT_EQ(ParseIsoTimestampMs("2024-03-14T10:42Z"), 1'710'412'920'000);
}

TEST(TimeFormatTest, RefusesImpossibleOrZonelessTimes) {
  EXPECT_FALSE(ParseIsoTimestampMs("2023-02-29"));
  EXPECT_TRUE(ParseIsoTimestampMs("2024-02-29"));
  EXPECT_FALSE(ParseIsoTimestampMs("2024-13-01"));
  EXPECT_FALSE(ParseIsoTimestampMs("2024-03-14T10:42:00"));  // no zone: ambiguous
  EXPECT_FALSE(ParseIsoTimestampMs("2024-03-14T25:00:00Z"));
  EXPECT_FALSE(ParseIsoTimestampMs("14/03/2024"));
  EXPECT_FALSE(ParseIsoTimestampMs(""));
  EXPECT_FALSE(IsIsoDate("2024-03-14T10:42:00Z"));
  EXPECT_TRUE(IsIsoDate("1959-05-04"));
}

TEST(TimeFormatTest, FormatsUtcAndRoundTrips) {
  EXPECT_EQ(FormatIsoTimestampMs(1'710'412'920'000), "2024-03-14T10:42:00Z");
  EXPECT_EQ(FormatIsoTimestampMs(1'710'412'920'250), "2024-03-14T10:42:00.250Z");
  EXPECT_EQ(FormatIsoTimestampMs(-1000), "1969-12-31T23:59:59Z");
  for (int64_t ms : {0LL, 951'782'400'000LL, 4'102'444'799'999LL}) {
    EXPECT_EQ(ParseIsoTimestampMs(FormatIsoTimestampMs(ms)), ms);
  }
}

}  // namespace
}  // namespace hub::codecs
