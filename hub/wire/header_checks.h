// Structural checks on a signed Header, shared by SealEnvelope (before signing) and
// ParseEnvelope (before anything trusts it). Policy checks (consent, lawful basis) are not
// here: they belong to hub_policy.
#pragma once

#include <cstddef>

#include "hub/base/status.h"
#include "hub/wire/limits.h"
#include "sghub/v1/envelope.pb.h"

namespace hub::wire {

inline constexpr size_t kMessageIdBytes = 16;
inline constexpr size_t kSubjectRefBytes = 32;
inline constexpr uint32_t kHeaderVersion = 1;

// Checks: header_bytes <= max_header_bytes; version == 1; message_id 16 bytes; sender a
// valid agency id; 1..max_recipients recipients, valid and unique; kind, category, urgency
// and purpose specified and known; every enum field anywhere holds a known value;
// created_at_ms > 0 and expires_at_ms > created_at_ms; 1..max_subject_refs subject refs of
// 32 bytes; in_reply_to empty or 16 bytes. Returns the first failure as InvalidArgument with
// a reason code and a field path such as "header.subject_refs[1]".
Status ValidateHeader(const sghub::v1::Header& header, size_t header_bytes, const Limits& limits);

}  // namespace hub::wire
