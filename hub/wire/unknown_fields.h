// Signed protobuf messages must not carry fields the reader does not understand: a reader
// that skips an unknown field cannot know what the signer meant by it.
#pragma once

#include <google/protobuf/message.h>

#include <string_view>

#include "hub/base/status.h"

namespace hub::wire {

// Returns InvalidArgument with REASON_CODE_UNKNOWN_FIELD when `message` or any set
// sub-message (singular or repeated, at any depth) has unknown fields. The field path names
// the message holding the unknown field, e.g. "header.consent.decision", and the message
// gives the unknown field number. `path` is the name of `message` itself ("header").
Status RejectUnknownFields(const google::protobuf::Message& message, std::string_view path);

// Returns InvalidArgument with REASON_CODE_INVALID_FIELD when any enum field of `message`
// or its set sub-messages holds a number that is not a value of the enum (proto3 keeps
// such numbers instead of dropping them). The path names the field, e.g. "header.urgency".
Status RejectUnknownEnumValues(const google::protobuf::Message& message, std::string_view path);

}  // namespace hub::wire
