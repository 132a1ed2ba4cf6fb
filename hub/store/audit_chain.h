// The audit trail's hash chain. Each entry's hash is BLAKE2b-256 over the previous entry's
// hash and the entry's fields in a fixed, length-prefixed encoding (docs/audit.md), so that
// any edit, removal, insertion or reordering of entries changes every later hash.
// The encoding is shared by the store (which writes the chain) and `sghubctl audit verify`.
#pragma once

#include <string>

#include "hub/store/message_store.h"

namespace hub::store {

inline constexpr size_t kAuditHashBytes = 32;

// The hash of `entry` given the previous hash (32 zero bytes for the first entry).
// Reads every field of the entry except prev_hash and hash.
std::string AuditEntryHash(const std::string& prev_hash, const AuditEntry& entry);

}  // namespace hub::store
