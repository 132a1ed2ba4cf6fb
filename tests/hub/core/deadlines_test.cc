// Closed-loop deadlines: fixed periods for immediate and urgent alerts, working days (Monday
// to Friday, UTC) for routine ones.
#include "hub/core/deadlines.h"

#include <gtest/gtest.h>

namespace hub::core {
namespace {

constexpr int64_t kHourMs = 3600LL * 1000;
constexpr int64_t kDayMs = 24 * kHourMs;
// 2024-05-06 was a Monday; 10:00 UTC.
constexpr int64_t kMonday10 = 1714989600000;
constexpr int64_t kThursday10 = kMonday10 + 3 * kDayMs;
constexpr int64_t kFriday10 = kMonday10 + 4 * kDayMs;
constexpr int64_t kSaturday10 = kMonday10 + 5 * kDayMs;
constexpr int64_t kSunday23 = kMonday10 + 6 * kDayMs + 13 * kHourMs;
constexpr int64_t kNextMonday10 = kMonday10 + 7 * kDayMs;

TEST(DeadlinesTest, FiveWorkingDaysFromMondayIsTheNextMonday) {
  EXPECT_EQ(AddWorkingDays(kMonday10, 5), kNextMonday10);
}

TEST(DeadlinesTest, OneWorkingDayFromFridaySkipsTheWeekend) {
  EXPECT_EQ(AddWorkingDays(kFriday10, 1), kNextMonday10);
}

TEST(DeadlinesTest, TwoWorkingDaysFromThursdayEndOnMonday) {
  EXPECT_EQ(AddWorkingDays(kThursday10, 2), kNextMonday10);
}

TEST(DeadlinesTest, CountingFromTheWeekendStartsOnMonday) {
  // Saturday 10:00 starts counting at Monday 10:00; one working day later is Tuesday.
  EXPECT_EQ(AddWorkingDays(kSaturday10, 1), kNextMonday10 + kDayMs);
  // Sunday 23:00 starts at Monday 23:00.
  EXPECT_EQ(AddWorkingDays(kSunday23, 1), kSunday23 + 2 * kDayMs);
}

TEST(DeadlinesTest, FiveWorkingDaysFromWednesdaySpanOneWeekend) {
  const int64_t wednesday = kMonday10 + 2 * kDayMs;
  EXPECT_EQ(AddWorkingDays(wednesday, 5), wednesday + 7 * kDayMs);
}

TEST(DeadlinesTest, TenWorkingDaysSpanTwoWeekends) {
  EXPECT_EQ(AddWorkingDays(kFriday10, 10), kFriday10 + 14 * kDayMs);
}

TEST(DeadlinesTest, DeadlineDependsOnUrgency) {
  const config::Deadlines defaults;
  EXPECT_EQ(DeadlineAfter(sghub::v1::URGENCY_IMMEDIATE, kFriday10, defaults), kFriday10 + kHourMs);
  EXPECT_EQ(DeadlineAfter(sghub::v1::URGENCY_URGENT, kFriday10, defaults), kSaturday10);
  EXPECT_EQ(DeadlineAfter(sghub::v1::URGENCY_ROUTINE, kFriday10, defaults), kFriday10 + 7 * kDayMs);
}

TEST(DeadlinesTest, ConfiguredPeriodsAreUsed) {
  config::Deadlines d;
  d.immediate_ms = 15 * 60 * 1000;
  d.urgent_ms = 4 * kHourMs;
  d.routine_working_days = 1;
  EXPECT_EQ(DeadlineAfter(sghub::v1::URGENCY_IMMEDIATE, kMonday10, d), kMonday10 + 15 * 60 * 1000);
  EXPECT_EQ(DeadlineAfter(sghub::v1::URGENCY_URGENT, kMonday10, d), kMonday10 + 4 * kHourMs);
  EXPECT_EQ(DeadlineAfter(sghub::v1::URGENCY_ROUTINE, kFriday10, d), kNextMonday10);
}

}  // namespace
}  // namespace hub::core
