#include "hub/wire/wire_status.h"

namespace hub::wire {

Status FieldError(sghub::v1::ReasonCode reason, std::string_view field, std::string_view why) {
  return Status::InvalidArgument(std::string(field) + ": " + std::string(why))
      .WithReason(reason, std::string(field));
}

Status LimitError(sghub::v1::ReasonCode reason, std::string_view field, std::string_view what,
                  uint64_t seen, std::string_view limit_name, uint64_t limit) {
  return FieldError(reason, field,
                    std::string(what) + " " + std::to_string(seen) + " exceeds the limit " +
                        std::string(limit_name) + " = " + std::to_string(limit));
}

}  // namespace hub::wire
