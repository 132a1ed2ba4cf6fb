#include "hub/cfg/duration.h"

#include <gtest/gtest.h>

namespace hub::cfg {
namespace {

TEST(DurationTest, ParsesEveryUnit) {
  EXPECT_EQ(*ParseDurationMs("250ms"), 250);
  EXPECT_EQ(*ParseDurationMs("90s"), 90000);
  EXPECT_EQ(*ParseDurationMs("15m"), 15 * 60000);
  EXPECT_EQ(*ParseDurationMs("1h"), 3600000);
  EXPECT_EQ(*ParseDurationMs("24h"), 86400000);
  EXPECT_EQ(*ParseDurationMs("2d"), 2 * 86400000);
  EXPECT_EQ(*ParseDurationMs("0s"), 0);
}

TEST(DurationTest, RejectsAnythingButNumberAndOneUnit) {
  for (const char* bad : {"", "h", "90", "1.5h", "-1h", "+1h", " 1h", "1h ", "1 h", "1H", "1hr",
                          "1h30m", "1w", "1y", "1mss", "0x10s", "1_000s"}) {
    Result<int64_t> r = ParseDurationMs(bad);
    EXPECT_FALSE(r.ok()) << "accepted \"" << bad << "\"";
    if (!r.ok()) {
      EXPECT_TRUE(r.status().IsInvalidArgument());
      EXPECT_NE(r.status().message().find("not a duration"), std::string::npos);
    }
  }
}

TEST(DurationTest, RejectsOverflowInsteadOfWrapping) {
  Result<int64_t> r = ParseDurationMs("9999999999999999d");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("too long"), std::string::npos);
  EXPECT_FALSE(ParseDurationMs("99999999999999999999ms").ok());
  EXPECT_EQ(*ParseDurationMs("9223372036854775807ms"), INT64_MAX);
}

TEST(DurationTest, FormatsInTheLargestExactUnit) {
  EXPECT_EQ(FormatDurationMs(0), "0ms");
  EXPECT_EQ(FormatDurationMs(1500), "1500ms");
  EXPECT_EQ(FormatDurationMs(90000), "90s");
  EXPECT_EQ(FormatDurationMs(5400000), "90m");
  EXPECT_EQ(FormatDurationMs(3600000), "1h");
  EXPECT_EQ(FormatDurationMs(7 * 86400000LL), "7d");
}

}  // namespace
}  // namespace hub::cfg
