// Closed-loop deadlines. Each CONCERN expects, from each recipient, an acknowledgement (a
// person has seen it) within one deadline period of acceptance and an outcome within one
// further period; the period is set by urgency. Routine alerts count working days (Monday
// to Friday, UTC); bank holidays are not modelled.
#pragma once

#include <cstdint>

#include "hub/config/hub_config.h"
#include "sghub/v1/common.pb.h"

namespace hub::core {

// The moment one deadline period after `from_ms` ends, for an alert of `urgency`.
int64_t DeadlineAfter(sghub::v1::Urgency urgency, int64_t from_ms,
                      const config::Deadlines& deadlines);

// `days` working days after `from_ms`: each step moves 24 h and skips Saturdays and Sundays.
int64_t AddWorkingDays(int64_t from_ms, int64_t days);

}  // namespace hub::core
