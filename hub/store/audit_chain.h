// The audit trail's hash chain. Each entry's hash is BLAKE2b-256 over the previous entry's
// hash and the entry's fields in a fixed, length-prefixed encoding (docs/audit.md), so that
// any edit, removal, insertion or reordering of entries changes every later hash.
// The encoding is shared by the store (which writes the chain) and `sghubctl audit verify`.
#pragma once

#include <cstdint>
#include <string>

#include "hub/store/message_store.h"

namespace hub::store {

inline constexpr size_t kAuditHashBytes = 32;

// The bytes a hub checkpoint signature covers: the ASCII tag "sghub.v1.checkpoint", a zero
// byte, then audit_seq and at_ms as u64 big-endian around the 32-byte audit hash.
std::string CheckpointMessage(int64_t audit_seq, const std::string& audit_hash, int64_t at_ms);

// The hash of `entry` given the previous hash (32 zero bytes for the first entry).
// Reads every field of the entry except prev_hash and hash.
std::string AuditEntryHash(const std::string& prev_hash, const AuditEntry& entry);

}  // namespace hub::store
