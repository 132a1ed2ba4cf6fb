// Checks a store's audit trail without trusting it: recomputes every entry's hash
// (store::AuditEntryHash) and the prev_hash links in seq order, checks that seqs run from 1
// without gaps, verifies each signed checkpoint with the hub signing key and that the entry
// it names still has the hash it signed. docs/audit.md says what this detects and what it
// cannot. Reads only: the caller opens the database with SqliteDb::OpenReadOnly.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "hub/base/result.h"
#include "hub/sqlite/sqlite_db.h"
#include "hub/wire/public_key.h"

namespace hub::ctl {

// One sign of tampering. `seq` is the first audit entry it concerns.
struct AuditFinding {
  int64_t seq = 0;
  std::string kind;     // edited, removed, reordered, inserted, rewritten, truncated, checkpoint
  std::string message;  // one sentence for the operator
};

struct AuditVerifyReport {
  int64_t entries = 0;                 // audit rows read
  int64_t checkpoints = 0;             // checkpoint rows read
  int64_t checkpoints_valid = 0;       // ... whose signature verified
  int64_t head_seq = 0;                // the last entry's seq (0 when empty)
  std::string head_hash;               // its stored hash (raw bytes; empty when empty)
  int64_t last_checkpoint_seq = 0;     // audit_seq of the newest valid checkpoint (0 if none)
  int64_t last_checkpoint_at_ms = 0;   // when the hub signed it
  std::vector<AuditFinding> findings;  // ordered by seq; empty when the trail is intact

  bool intact() const { return findings.empty(); }
  // Entries after the newest valid checkpoint: protected by the hash chain alone.
  int64_t unanchored() const {
    return head_seq > last_checkpoint_seq ? head_seq - last_checkpoint_seq : 0;
  }
};

// Walks the whole trail. Tampering is reported in the report, not as an error; the Status
// is an error only when the store cannot be read (IOError, Corruption, or InvalidArgument
// when the file is not an sghub store).
Result<AuditVerifyReport> VerifyAuditTrail(sqlite::SqliteDb& db,
                                           const wire::PublicKey& hub_signing);

}  // namespace hub::ctl
