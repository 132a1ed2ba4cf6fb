// `sghubctl keygen --agency ID --kind nhs_mh|council|police|hub --out DIR`: generates an
// agency's three keypairs and writes DIR/ID.key (secret, mode 0600) and DIR/ID.card.toml
// (public card for the hub's registry). Never overwrites either file.
#pragma once

#include <filesystem>
#include <ostream>
#include <string>

#include "hub/ctl/command.h"

namespace hub::ctl {

struct KeygenOptions {
  std::string agency;         // agency id
  std::string kind;           // nhs_mh, council, police or hub
  std::filesystem::path out;  // existing directory
};

// Does the work; prints what it wrote to `out` and one error line to `err`.
ExitCode RunKeygen(const KeygenOptions& options, std::ostream& out, std::ostream& err);

void AddKeygenCommand(CLI::App& app, CommandContext& context);

}  // namespace hub::ctl
