#include "hub/base/status.h"

#include <gtest/gtest.h>

#include "hub/base/bytes.h"
#include "hub/base/result.h"

namespace hub {
namespace {

Result<int> ParsePositive(int v) {
  if (v <= 0) {
    return Status::InvalidArgument("value must be positive").WithReason(7, "value");
  }
  return v;
}

Status UsesAssignOrReturn(int v, int* out) {
  HUB_ASSIGN_OR_RETURN(int got, ParsePositive(v));
  *out = got;
  return Status::Ok();
}

TEST(StatusTest, DefaultIsOk) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.ToString(), "OK");
}

TEST(StatusTest, CarriesCodeMessageReasonAndField) {
  Status s = Status::InvalidArgument("bad").WithReason(12, "header.expires_at_ms");
  EXPECT_TRUE(s.IsInvalidArgument());
  EXPECT_EQ(s.reason_code(), 12);
  EXPECT_EQ(s.field(), "header.expires_at_ms");
  EXPECT_EQ(s.ToString(), "InvalidArgument: bad");
  Status c = s.WithContext("submit");
  EXPECT_EQ(c.message(), "submit: bad");
  EXPECT_EQ(c.field(), "header.expires_at_ms");
}

TEST(ResultTest, PropagatesErrorsThroughAssignOrReturn) {
  int out = 0;
  EXPECT_TRUE(UsesAssignOrReturn(5, &out).ok());
  EXPECT_EQ(out, 5);
  Status s = UsesAssignOrReturn(-1, &out);
  EXPECT_TRUE(s.IsInvalidArgument());
  EXPECT_EQ(s.field(), "value");
}

TEST(ResultDeathTest, ValueOnErrorAborts) {
  Result<int> r = Status::NotFound("nope");
  EXPECT_DEATH((void)r.value(), "Result::value\\(\\) on an error");
}

TEST(BytesTest, HexEncodesLowerCase) {
  EXPECT_EQ(HexEncode(AsBytes(std::string_view("\x00\xff\x10", 3))), "00ff10");
}

}  // namespace
}  // namespace hub
