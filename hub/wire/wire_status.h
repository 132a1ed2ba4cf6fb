// Builders for the protocol errors hub_wire returns, so every one carries a reason code, a
// field path and a message that starts with the field. Internal to hub_wire.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "hub/base/status.h"
#include "sghub/v1/common.pb.h"

namespace hub::wire {

// InvalidArgument "<field>: <why>" with the reason code and field attached.
Status FieldError(sghub::v1::ReasonCode reason, std::string_view field, std::string_view why);

// InvalidArgument "<field>: <what> <seen> exceeds the limit <limit_name> = <limit>".
Status LimitError(sghub::v1::ReasonCode reason, std::string_view field, std::string_view what,
                  uint64_t seen, std::string_view limit_name, uint64_t limit);

}  // namespace hub::wire
