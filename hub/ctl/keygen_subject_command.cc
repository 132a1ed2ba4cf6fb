#include "hub/ctl/keygen_subject_command.h"

#include <iostream>
#include <memory>

#include "hub/wire/subject_key.h"

namespace hub::ctl {

ExitCode RunKeygenSubject(const std::filesystem::path& out_file, std::ostream& out,
                          std::ostream& err) {
  auto key = wire::SubjectKey::Generate();
  Status status = key.ok() ? key->WriteFile(out_file) : key.status();
  if (!status.ok()) {
    err << "sghubctl keygen-subject: error: " << status.message() << "\n";
    return ExitCode::kError;
  }
  out << "wrote subject key " << out_file.string()
      << " (mode 0600: share it only with the agencies, never with the hub)\n";
  return ExitCode::kOk;
}

void AddKeygenSubjectCommand(CLI::App& app, CommandContext& context) {
  // Shared with CLI11's option binding and its copyable callback; see keygen_command.cc.
  auto out_file = std::make_shared<std::filesystem::path>();
  CLI::App* sub = app.add_subcommand(
      "keygen-subject", "Generate the subject key shared by agencies (not the hub), mode 0600");
  sub->add_option("--out", *out_file, "File to create; must not exist")->required();
  sub->callback([out_file, &context] {
    context.exit_code = RunKeygenSubject(*out_file, std::cout, std::cerr);
  });
}

}  // namespace hub::ctl
