// Fills a store with a synthetic audit trail through SqliteStore::AppendAudit, shaped like
// the broker's (accepted, queued, delivered per alert, with the same compact JSON details),
// with a hub-signed checkpoint every `checkpoint_every` entries and at the end. For the
// verify speed measurement (audit_fill, docs/audit.md) and the 10k-entry test.
#pragma once

#include <cstdint>
#include <filesystem>

#include "hub/base/status.h"
#include "hub/wire/agency_keys.h"

namespace hub::ctl {

// Creates the store at `path` (which must not exist yet), records `hub`'s signing key in meta
// 'hub_signing_public' as sghubd does, and appends `entries` entries in batches of 10000.
Status FillAuditTrail(const std::filesystem::path& path, int64_t entries, int64_t checkpoint_every,
                      const wire::AgencyKeys& hub);

}  // namespace hub::ctl
