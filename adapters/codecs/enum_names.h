// Readable names for the sghub.v1 enumerations, as agency JSON documents spell them:
// CATEGORY_MATE_CRIME <-> "mate_crime", CONSENT_STATE_GIVEN <-> "given",
// CAPACITY_DECISION_BY_BEST_INTERESTS <-> "best_interests". Names come from the proto
// descriptors (the value name without the enum's prefix, lower-cased), so a value added to
// the schema gets a name without touching the codecs. The zero ("unspecified") value has no
// name and is never accepted.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/generated_enum_reflection.h>

namespace hub::codecs {

// The value named `name` in `descriptor`, or nullopt (also for "unspecified" and "").
std::optional<int> EnumValueFromName(const google::protobuf::EnumDescriptor* descriptor,
                                     std::string_view name);

// The readable name of `value`, or "" for zero and values the descriptor does not know.
std::string EnumValueName(const google::protobuf::EnumDescriptor* descriptor, int value);

// "a|b|c": every accepted name, for error messages.
std::string EnumNameList(const google::protobuf::EnumDescriptor* descriptor);

template <typename E>
std::optional<E> EnumFromName(std::string_view name) {
  std::optional<int> v = EnumValueFromName(google::protobuf::GetEnumDescriptor<E>(), name);
  if (!v) {
    return std::nullopt;
  }
  return static_cast<E>(*v);
}

template <typename E>
std::string EnumName(E value) {
  return EnumValueName(google::protobuf::GetEnumDescriptor<E>(), static_cast<int>(value));
}

template <typename E>
std::string EnumNames() {
  return EnumNameList(google::protobuf::GetEnumDescriptor<E>());
}

}  // namespace hub::codecs
