// Reading the operator's policy tightenings from TOML. The file (or the [policy] part of
// the hub's configuration) can only remove permissions from DefaultPolicy(); anything that
// would widen them, any unknown key or name, any duplicate and any contradiction is refused
// with an error of the form "<source>:<line>:<key>: <why>". docs/policy.md lists the keys.
#pragma once

#include <string_view>

#include "hub/base/result.h"
#include "hub/policy/policy_config.h"

namespace hub::policy {

// Parses `toml_text` (named `source_name` in errors, e.g. the file path). Only the [policy]
// table is read; other top-level tables belong to the rest of the hub's configuration and
// are ignored. No [policy] table gives DefaultPolicy(). The result has passed
// ValidatePolicy(). Errors are InvalidArgument.
Result<PolicyConfig> ParsePolicyToml(std::string_view toml_text, std::string_view source_name);

}  // namespace hub::policy
