#include "hub/ctl/audit_command.h"

#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "hub/base/bytes.h"
#include "hub/ctl/audit_export.h"
#include "hub/ctl/audit_verifier.h"
#include "hub/policy/names.h"
#include "hub/sqlite/sqlite_db.h"
#include "hub/wire/key_files.h"

namespace hub::ctl {
namespace {

ExitCode Fail(std::ostream& err, std::string_view command, const std::string& message) {
  err << "sghubctl audit " << command << ": error: " << message << "\n";
  return ExitCode::kError;
}

// The hub signing key recorded in the store by sghubd, if any.
Result<std::optional<std::string>> StoredKeyHex(sqlite::SqliteDb& db) {
  HUB_ASSIGN_OR_RETURN(sqlite::SqliteStatement st,
                       db.Prepare("SELECT value FROM meta WHERE key = 'hub_signing_public'"));
  HUB_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) {
    return std::optional<std::string>();
  }
  return std::optional<std::string>(st.ColumnBlob(0));
}

struct SigningKey {
  wire::PublicKey key;
  std::string source;  // "card" or "store"
};

// The key checkpoints are verified with: the card's when given, else the store's own record
// (with a warning: whoever can rewrite the store can replace that key as well).
Result<SigningKey> ResolveKey(sqlite::SqliteDb& db, const AuditVerifyOptions& options,
                              std::ostream& err) {
  HUB_ASSIGN_OR_RETURN(std::optional<std::string> stored_hex, StoredKeyHex(db));
  std::optional<wire::PublicKey> stored;
  if (stored_hex.has_value()) {
    auto parsed = wire::PublicKey::FromHex(*stored_hex, "meta.hub_signing_public");
    if (parsed.ok()) {
      stored = *parsed;
    } else {
      err << "sghubctl audit verify: warning: the store's meta.hub_signing_public is not a key "
             "("
          << parsed.status().message() << ")\n";
    }
  }
  if (!options.hub_card.empty()) {
    auto card = wire::LoadCardFile(options.hub_card);
    if (!card.ok()) {
      return card.status().WithContext("--hub-card");
    }
    if (card->kind != sghub::v1::AGENCY_KIND_HUB) {
      err << "sghubctl audit verify: warning: " << options.hub_card.string()
          << " is the card of agency " << card->id << ", not of a hub\n";
    }
    if (stored.has_value() && !(*stored == card->signing)) {
      err << "sghubctl audit verify: warning: the store records another hub signing key ("
          << stored->Fingerprint() << ") than the card (" << card->signing.Fingerprint()
          << "); checkpoints signed before a key change will not verify\n";
    }
    return SigningKey{card->signing, "card"};
  }
  if (!stored.has_value()) {
    return Status::NotFound(
        "the store records no hub signing key (meta.hub_signing_public); pass --hub-card with "
        "the hub's public card");
  }
  err << "sghubctl audit verify: warning: checking checkpoints against the hub key recorded "
         "in the store itself; whoever can rewrite the store can replace that key too. Pass "
         "--hub-card with a copy of the hub's card kept elsewhere for a stronger check.\n";
  return SigningKey{*stored, "store"};
}

std::string Hex(const std::string& raw) { return HexEncode(AsBytes(raw)); }

void PrintVerifyJson(const AuditVerifyReport& r, const SigningKey& key, std::ostream& out) {
  using Json = nlohmann::ordered_json;
  Json findings = Json::array();
  for (const AuditFinding& f : r.findings) {
    findings.push_back(Json{{"seq", f.seq}, {"kind", f.kind}, {"message", f.message}});
  }
  Json j = Json::object();
  j["intact"] = r.intact();
  j["entries"] = r.entries;
  j["checkpoints"] = r.checkpoints;
  j["checkpoints_valid"] = r.checkpoints_valid;
  j["head_seq"] = r.head_seq;
  j["head_hash"] = Hex(r.head_hash);
  j["last_checkpoint_seq"] = r.last_checkpoint_seq;
  j["last_checkpoint_at"] =
      r.last_checkpoint_at_ms != 0 ? Json(policy::FormatUtcMs(r.last_checkpoint_at_ms)) : Json();
  j["unanchored_entries"] = r.unanchored();
  j["key_source"] = key.source;
  j["key_fingerprint"] = key.key.Fingerprint();
  j["first_bad_seq"] = r.intact() ? Json() : Json(r.findings.front().seq);
  j["findings"] = std::move(findings);
  out << j.dump() << "\n";
}

void PrintVerifyText(const AuditVerifyReport& r, const SigningKey& key,
                     const std::filesystem::path& db, std::ostream& out) {
  out << "audit trail:         " << db.string() << "\n"
      << "entries checked:     " << r.entries;
  if (r.entries > 0) {
    out << " (seq 1.." << r.head_seq << ")";
  }
  out << "\ncheckpoints checked: " << r.checkpoints << " (" << r.checkpoints_valid
      << " with a valid signature by hub key " << key.key.Fingerprint() << " from the "
      << key.source << ")\n"
      << "head:                seq " << r.head_seq << ", hash "
      << (r.head_hash.empty() ? "-" : Hex(r.head_hash)) << "\n";
  if (r.last_checkpoint_seq > 0) {
    out << "last checkpoint:     seq " << r.last_checkpoint_seq << ", signed "
        << policy::FormatUtcMs(r.last_checkpoint_at_ms) << "; " << r.unanchored()
        << " entries after it are protected by the hash chain only\n";
  } else {
    out << "last checkpoint:     none; the whole trail is protected by the hash chain only\n";
  }
  if (r.intact()) {
    out << "result:              intact\n";
    return;
  }
  const AuditFinding& first = r.findings.front();
  out << "result:              TAMPERED: first bad entry seq " << first.seq << " (" << first.kind
      << ")\n";
  constexpr size_t kShown = 20;
  for (size_t i = 0; i < r.findings.size() && i < kShown; ++i) {
    const AuditFinding& f = r.findings[i];
    out << "  seq " << f.seq << " " << f.kind << ": " << f.message << "\n";
  }
  if (r.findings.size() > kShown) {
    out << "  ... and " << (r.findings.size() - kShown) << " more (--json lists all)\n";
  }
}

}  // namespace

ExitCode RunAuditVerify(const AuditVerifyOptions& options, std::ostream& out, std::ostream& err) {
  auto db = sqlite::SqliteDb::OpenReadOnly(options.db);
  if (!db.ok()) {
    return Fail(err, "verify", "--db: " + db.status().message());
  }
  auto key = ResolveKey(*db, options, err);
  if (!key.ok()) {
    return Fail(err, "verify", key.status().message());
  }
  auto report = VerifyAuditTrail(*db, key->key);
  if (!report.ok()) {
    return Fail(err, "verify", options.db.string() + ": " + report.status().message());
  }
  if (options.json) {
    PrintVerifyJson(*report, *key, out);
  } else {
    PrintVerifyText(*report, *key, options.db, out);
  }
  return report->intact() ? ExitCode::kOk : ExitCode::kDegraded;
}

ExitCode RunAuditExport(const AuditExportOptions& options, std::ostream& out, std::ostream& err) {
  if (options.format != "json" && options.format != "csv") {
    return Fail(err, "export", "--format: expected json or csv, got \"" + options.format + "\"");
  }
  auto ref = ParseSubjectRefHex(options.subject);
  if (!ref.ok()) {
    return Fail(err, "export", ref.status().message());
  }
  auto db = sqlite::SqliteDb::OpenReadOnly(options.db);
  if (!db.ok()) {
    return Fail(err, "export", "--db: " + db.status().message());
  }
  auto events = ExportSubject(*db, *ref);
  if (!events.ok()) {
    return Fail(err, "export", options.db.string() + ": " + events.status().message());
  }
  out << (options.format == "csv" ? SharedEventsToCsv(*events) : SharedEventsToJson(*ref, *events));
  if (events->empty()) {
    err << "sghubctl audit export: the audit trail records nothing about this subject "
           "reference\n";
  }
  return ExitCode::kOk;
}

void AddAuditCommand(CLI::App& app, CommandContext& context) {
  // CLI11 keeps the option targets beyond this call: the options live in shared_ptrs owned
  // by the callbacks.
  auto verify_options = std::make_shared<AuditVerifyOptions>();
  auto export_options = std::make_shared<AuditExportOptions>();
  CLI::App* audit = app.add_subcommand("audit", "Check and export the hub's audit trail");
  audit->require_subcommand(1, 1);

  CLI::App* verify = audit->add_subcommand(
      "verify", "Check the hash chain and signed checkpoints; exit 0 intact, 1 tampered, 2 error");
  verify->add_option("--db", verify_options->db, "The store: <data_dir>/sghub.db (read only)")
      ->required();
  verify->add_option("--hub-card", verify_options->hub_card,
                     "The hub's public card (hub.card.toml), kept apart from the store");
  verify->add_flag("--json", verify_options->json, "One line of JSON instead of text");
  verify->callback([verify_options, &context] {
    context.exit_code = RunAuditVerify(*verify_options, std::cout, std::cerr);
  });

  CLI::App* exp = audit->add_subcommand(
      "export", "Everything the audit trail records about one subject reference");
  exp->add_option("--db", export_options->db, "The store: <data_dir>/sghub.db (read only)")
      ->required();
  exp->add_option("--subject", export_options->subject, "Subject reference, 64 hex characters")
      ->required();
  exp->add_option("--format", export_options->format, "json (default) or csv");
  exp->callback([export_options, &context] {
    context.exit_code = RunAuditExport(*export_options, std::cout, std::cerr);
  });
}

}  // namespace hub::ctl
