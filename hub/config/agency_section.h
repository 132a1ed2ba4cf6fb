// Parsing of the agency registry: the [[agency]] tables of the hub configuration. Kept apart
// from the rest of the file because a SIGHUP reload re-checks exactly this part against the
// running hub, and because it is the only part that reads other files (agency cards).
#pragma once

#include <toml++/toml.h>

#include <filesystem>
#include <string_view>
#include <vector>

#include "hub/cfg/diagnostics.h"
#include "hub/config/hub_config.h"

namespace hub::config {

// Reads every [[agency]] table in `root` and checks each entry (id, card or inline keys,
// kind, escalation contact) and the registry as a whole (unique ids and transport keys,
// escalation contacts registered, no entry reusing `hub_id`). Card paths resolve against
// `base_dir`. Problems go to `diag`; the returned list is meaningful only when none were
// recorded.
std::vector<AgencyEntry> ParseAgencySection(const toml::table& root,
                                            const std::filesystem::path& base_dir,
                                            std::string_view hub_id, cfg::Diagnostics& diag);

}  // namespace hub::config
