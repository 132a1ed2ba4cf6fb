// `sghubctl audit verify --db PATH [--hub-card CARD] [--json]`: checks the audit trail's hash
// chain and signed checkpoints; exit 0 intact, 1 tampered (naming the first entry
// concerned), 2 when the store cannot be read.
// `sghubctl audit export --db PATH --subject REFHEX [--format json|csv]`: the disclosure log
// for one subject reference. Both open the store read-only and never create it.
#pragma once

#include <filesystem>
#include <ostream>
#include <string>

#include "hub/ctl/command.h"

namespace hub::ctl {

struct AuditVerifyOptions {
  std::filesystem::path db;        // the store (data_dir/sghub.db)
  std::filesystem::path hub_card;  // the hub's public card; empty: the key the store records
  bool json = false;
};

struct AuditExportOptions {
  std::filesystem::path db;
  std::string subject;  // 64 hex characters
  std::string format = "json";
};

// Each prints its result to `out`, warnings and errors to `err`.
ExitCode RunAuditVerify(const AuditVerifyOptions& options, std::ostream& out, std::ostream& err);
ExitCode RunAuditExport(const AuditExportOptions& options, std::ostream& out, std::ostream& err);

void AddAuditCommand(CLI::App& app, CommandContext& context);

}  // namespace hub::ctl
