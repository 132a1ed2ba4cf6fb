// `sghubctl policy explain --header FILE.json [--policy POLICY.toml] [--json]`: runs the
// hub's policy engine on an explain document (docs/policy.md, "sghubctl policy explain
// input") and prints, per recipient, the decision and the rule that made it. Sends nothing.
// Exit 0 when every recipient would receive the alert, 1 when any is refused, 2 on bad input
// (the error names the field).
#pragma once

#include <filesystem>
#include <ostream>

#include "hub/ctl/command.h"

namespace hub::ctl {

struct PolicyExplainOptions {
  std::filesystem::path header;  // the explain document (JSON)
  std::filesystem::path policy;  // TOML with a [policy] table; empty: the default policy
  bool json = false;
};

ExitCode RunPolicyExplain(const PolicyExplainOptions& options, std::ostream& out,
                          std::ostream& err);

void AddPolicyCommand(CLI::App& app, CommandContext& context);

}  // namespace hub::ctl
