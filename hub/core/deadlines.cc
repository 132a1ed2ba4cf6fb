#include "hub/core/deadlines.h"

namespace hub::core {
namespace {

constexpr int64_t kDayMs = 24LL * 3600 * 1000;

// 0 = Sunday ... 6 = Saturday, for a UTC instant. 1970-01-01 was a Thursday.
int DayOfWeek(int64_t ms) {
  int64_t days = ms >= 0 ? ms / kDayMs : (ms - kDayMs + 1) / kDayMs;
  return static_cast<int>(((days % 7) + 7 + 4) % 7);
}

}  // namespace

int64_t AddWorkingDays(int64_t from_ms, int64_t days) {
  int64_t t = from_ms;
  // A deadline set at the weekend starts counting from Monday.
  while (DayOfWeek(t) == 0 || DayOfWeek(t) == 6) {
    t += kDayMs;
  }
  for (int64_t added = 0; added < days;) {
    t += kDayMs;
    if (DayOfWeek(t) != 0 && DayOfWeek(t) != 6) {
      ++added;
    }
  }
  return t;
}

int64_t DeadlineAfter(sghub::v1::Urgency urgency, int64_t from_ms,
                      const config::Deadlines& deadlines) {
  switch (urgency) {
    case sghub::v1::URGENCY_IMMEDIATE:
      return from_ms + deadlines.immediate_ms;
    case sghub::v1::URGENCY_URGENT:
      return from_ms + deadlines.urgent_ms;
    default:
      return AddWorkingDays(from_ms, deadlines.routine_working_days);
  }
}

}  // namespace hub::core
