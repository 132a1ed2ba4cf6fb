// `sghubctl keygen-subject --out FILE`: generates the subject key that agencies share (and
// the hub never has) for computing subject references. Writes FILE with mode 0600; never
// overwrites.
#pragma once

#include <filesystem>
#include <ostream>

#include "hub/ctl/command.h"

namespace hub::ctl {

ExitCode RunKeygenSubject(const std::filesystem::path& out_file, std::ostream& out,
                          std::ostream& err);

void AddKeygenSubjectCommand(CLI::App& app, CommandContext& context);

}  // namespace hub::ctl
