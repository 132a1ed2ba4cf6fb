#include "hub/ctl/keygen_command.h"

#include <iostream>
#include <memory>
#include <system_error>

#include "hub/wire/agency_keys.h"
#include "hub/wire/key_files.h"

namespace hub::ctl {
namespace {

ExitCode Fail(std::ostream& err, const std::string& message) {
  err << "sghubctl keygen: error: " << message << "\n";
  return ExitCode::kError;
}

}  // namespace

ExitCode RunKeygen(const KeygenOptions& options, std::ostream& out, std::ostream& err) {
  if (Status s = wire::ValidateAgencyId(options.agency); !s.ok()) {
    return Fail(err, "--agency: " + s.message());
  }
  auto kind = wire::ParseAgencyKind(options.kind);
  if (!kind.ok()) {
    return Fail(err, "--kind: " + kind.status().message());
  }
  std::error_code ec;
  if (!std::filesystem::is_directory(options.out, ec)) {
    return Fail(err, "--out: " + options.out.string() + " is not an existing directory");
  }
  const std::filesystem::path key_path = options.out / (options.agency + ".key");
  const std::filesystem::path card_path = options.out / (options.agency + ".card.toml");
  // Check both before writing either, so a refusal leaves nothing half-done.
  for (const auto& path : {key_path, card_path}) {
    if (std::filesystem::symlink_status(path, ec).type() != std::filesystem::file_type::not_found) {
      return Fail(err, path.string() +
                           " already exists; refusing to overwrite it (move it away "
                           "first if you really mean to replace these keys)");
    }
  }
  auto keys = wire::AgencyKeys::Generate(options.agency, *kind);
  if (!keys.ok()) {
    return Fail(err, keys.status().message());
  }
  if (Status s = wire::WriteSecretKeyFile(*keys, key_path); !s.ok()) {
    return Fail(err, s.message());
  }
  if (Status s = wire::WriteCardFile(keys->card(), card_path); !s.ok()) {
    // Without its card the key is useless; remove it so the command can simply be rerun.
    std::filesystem::remove(key_path, ec);
    return Fail(err, s.message());
  }
  const wire::AgencyCard& card = keys->card();
  out << "wrote secret key " << key_path.string() << " (mode 0600: keep it private)\n"
      << "wrote agency card " << card_path.string() << " (public: give it to the hub operator)\n"
      << "agency " << card.id << " kind " << wire::AgencyKindName(card.kind) << "\n"
      << "fingerprints: transport " << card.transport.Fingerprint() << " signing "
      << card.signing.Fingerprint() << " sealing " << card.sealing.Fingerprint() << "\n";
  return ExitCode::kOk;
}

void AddKeygenCommand(CLI::App& app, CommandContext& context) {
  // CLI11 keeps the option targets and the callback beyond this call and copies callbacks,
  // so the options live in a shared_ptr owned by the callback and the option bindings.
  auto options = std::make_shared<KeygenOptions>();
  CLI::App* sub = app.add_subcommand(
      "keygen", "Generate an agency's keys: DIR/ID.key (secret, 0600) and DIR/ID.card.toml");
  sub->add_option("--agency", options->agency, "Agency id: 1-64 characters of a-z 0-9 - _ .")
      ->required();
  sub->add_option("--kind", options->kind, "nhs_mh, council, police or hub")->required();
  sub->add_option("--out", options->out, "Existing directory to write the two files to")
      ->required();
  sub->callback(
      [options, &context] { context.exit_code = RunKeygen(*options, std::cout, std::cerr); });
}

}  // namespace hub::ctl
