#include "hub/config/agency_section.h"

#include <array>
#include <map>
#include <optional>
#include <string>

#include "hub/cfg/table_reader.h"
#include "hub/wire/agency_id.h"
#include "hub/wire/key_files.h"
#include "hub/wire/public_key.h"

namespace hub::config {

using cfg::Diagnostics;
using cfg::TableReader;
namespace {

using Need = TableReader::Need;

constexpr std::array<std::string_view, 4> kInlineKeys = {"kind", "transport_public",
                                                         "signing_public", "sealing_public"};

// What the registry-wide checks need to know about one entry after it has been read.
struct Seen {
  std::string id;  // empty when the id itself was invalid
  uint32_t id_line = 0;
  std::string path;  // "agency[3]"
  std::string escalation_contact;
  uint32_t escalation_line = 0;
  std::string transport_key;  // key whose line is used for transport-key errors
  uint32_t transport_line = 0;
};

// PublicKey::FromHex prefixes its message with the field; the diagnostic already names it.
std::string StripField(const std::string& message, std::string_view field) {
  std::string prefix = std::string(field) + ": ";
  if (message.starts_with(prefix)) {
    return message.substr(prefix.size());
  }
  return message;
}

std::optional<wire::PublicKey> ReadKey(TableReader& r, std::string_view key) {
  std::optional<std::string> hex = r.GetString(key, Need::kRequired);
  if (!hex) {
    return std::nullopt;
  }
  std::string field = r.KeyPath(key);
  Result<wire::PublicKey> parsed = wire::PublicKey::FromHex(*hex, field);
  if (!parsed.ok()) {
    r.Error(key, StripField(parsed.status().message(), field));
    return std::nullopt;
  }
  return *parsed;
}

// Fills `card` from the inline kind and keys. Returns false (errors recorded) on any problem.
bool ReadInlineCard(TableReader& r, wire::AgencyCard& card) {
  bool ok = true;
  if (std::optional<std::string> kind = r.GetString("kind", Need::kRequired)) {
    Result<sghub::v1::AgencyKind> parsed = wire::ParseAgencyKind(*kind);
    if (!parsed.ok()) {
      r.Error("kind", parsed.status().message());
      ok = false;
    } else if (*parsed == sghub::v1::AGENCY_KIND_HUB) {
      r.Error("kind", "\"hub\" is the hub's own kind; an agency is nhs_mh, council or police");
      ok = false;
    } else {
      card.kind = *parsed;
    }
  } else {
    ok = false;
  }
  std::optional<wire::PublicKey> transport = ReadKey(r, "transport_public");
  std::optional<wire::PublicKey> signing = ReadKey(r, "signing_public");
  std::optional<wire::PublicKey> sealing = ReadKey(r, "sealing_public");
  if (!transport || !signing || !sealing) {
    return false;
  }
  card.transport = *transport;
  card.signing = *signing;
  card.sealing = *sealing;
  return ok;
}

// Loads the card file named by `card` and checks it belongs to the entry `id`.
bool ReadCardFile(TableReader& r, const std::filesystem::path& base_dir, const std::string& id,
                  wire::AgencyCard& card) {
  std::optional<std::filesystem::path> path = r.GetPath("card", base_dir, Need::kRequired);
  if (!path) {
    return false;
  }
  Result<wire::AgencyCard> loaded = wire::LoadCardFile(*path);
  if (!loaded.ok()) {
    r.Error("card", "cannot use card file: " + loaded.status().message());
    return false;
  }
  if (loaded->kind == sghub::v1::AGENCY_KIND_HUB) {
    r.Error("card", "\"" + path->string() + "\" is a hub card, not an agency's");
    return false;
  }
  if (!id.empty() && loaded->id != id) {
    r.Error("card", "card file \"" + path->string() + "\" is for agency \"" + loaded->id +
                        "\", not \"" + id + "\"");
    return false;
  }
  card = std::move(loaded).value();
  return true;
}

// Reads one [[agency]] table. Returns the entry only when it is valid on its own; `seen` is
// filled as far as possible either way so the registry-wide checks can still run.
std::optional<AgencyEntry> ReadEntry(const toml::table& table, const std::string& path,
                                     const std::filesystem::path& base_dir, std::string_view hub_id,
                                     Diagnostics& diag, Seen& seen) {
  TableReader r(table, path, diag);
  r.RejectUnknownKeys({"id", "name", "card", "kind", "transport_public", "signing_public",
                       "sealing_public", "escalation_contact", "revoked"});
  size_t errors_before = diag.size();
  seen.path = path;

  AgencyEntry entry;
  if (std::optional<std::string> id = r.GetString("id", Need::kRequired)) {
    if (Status s = wire::ValidateAgencyId(*id); !s.ok()) {
      r.Error("id", s.message());
    } else if (*id == hub_id) {
      r.Error("id", "\"" + *id + "\" is the hub's own id (hub.id)");
    } else {
      seen.id = *id;
      seen.id_line = r.LineOf("id");
    }
  }
  entry.display_name = r.GetString("name", Need::kOptional).value_or(seen.id);
  entry.revoked = r.GetBool("revoked").value_or(false);
  if (std::optional<std::string> contact = r.GetString("escalation_contact", Need::kOptional)) {
    entry.escalation_contact = *contact;
    seen.escalation_contact = *contact;
    seen.escalation_line = r.LineOf("escalation_contact");
  }

  std::string first_inline;
  for (std::string_view key : kInlineKeys) {
    if (r.Has(key)) {
      first_inline = std::string(key);
      break;
    }
  }
  bool has_card = r.Has("card");
  bool card_ok = false;
  if (has_card && !first_inline.empty()) {
    r.Error("card",
            "give either a card file or the inline keys (kind, transport_public, "
            "signing_public, sealing_public), not both; inline " +
                first_inline + " is at line " + std::to_string(r.LineOf(first_inline)));
  } else if (has_card) {
    card_ok = ReadCardFile(r, base_dir, seen.id, entry.card);
    seen.transport_key = "card";
  } else if (!first_inline.empty()) {
    card_ok = ReadInlineCard(r, entry.card);
    entry.card.id = seen.id;
    seen.transport_key = "transport_public";
  } else {
    r.Error("card",
            "missing: give card = \"FILE\" or the inline keys kind, transport_public, "
            "signing_public and sealing_public");
  }
  if (card_ok) {
    seen.transport_line = r.LineOf(seen.transport_key);
  }
  if (!card_ok || diag.size() != errors_before) {
    return std::nullopt;
  }
  return entry;
}

}  // namespace

std::vector<AgencyEntry> ParseAgencySection(const toml::table& root,
                                            const std::filesystem::path& base_dir,
                                            std::string_view hub_id, Diagnostics& diag) {
  std::vector<AgencyEntry> entries;
  const toml::node* node = root.get("agency");
  if (node == nullptr) {
    return entries;
  }
  TableReader root_reader(root, "", diag);
  const toml::array* array = node->as_array();
  if (array == nullptr) {
    root_reader.Error("agency", "write one [[agency]] section per agency (an array of tables)");
    return entries;
  }

  std::vector<Seen> seen(array->size());
  std::vector<bool> valid(array->size(), false);
  for (size_t i = 0; i < array->size(); ++i) {
    std::string path = "agency[" + std::to_string(i) + "]";
    const toml::table* table = (*array)[i].as_table();
    if (table == nullptr) {
      diag.Add((*array)[i].source().begin.line, path,
               "write one [[agency]] section per agency (an array of tables)");
      continue;
    }
    std::optional<AgencyEntry> entry = ReadEntry(*table, path, base_dir, hub_id, diag, seen[i]);
    if (entry) {
      entries.push_back(std::move(*entry));
      valid[i] = true;
    }
  }

  // Registry-wide checks. They use every id that was itself valid, even in an entry with
  // other errors, so one mistake does not cause a cascade of "not registered" errors.
  std::map<std::string, const Seen*> by_id;
  for (const Seen& s : seen) {
    if (s.id.empty()) {
      continue;
    }
    auto [it, inserted] = by_id.emplace(s.id, &s);
    if (!inserted) {
      diag.Add(s.id_line, s.path + ".id",
               "agency \"" + s.id + "\" is already registered at line " +
                   std::to_string(it->second->id_line));
    }
  }
  for (const Seen& s : seen) {
    if (s.escalation_contact.empty()) {
      continue;
    }
    if (s.escalation_contact == s.id) {
      diag.Add(s.escalation_line, s.path + ".escalation_contact",
               "an agency cannot be its own escalation contact: escalation reaches someone "
               "other than the recipient that went silent");
    } else if (by_id.find(s.escalation_contact) == by_id.end()) {
      diag.Add(s.escalation_line, s.path + ".escalation_contact",
               "\"" + s.escalation_contact + "\" is not a registered agency");
    }
  }
  std::map<std::string, const Seen*> by_transport;
  size_t next_entry = 0;
  for (size_t i = 0; i < seen.size(); ++i) {
    if (!valid[i]) {
      continue;
    }
    const AgencyEntry& entry = entries[next_entry++];
    const Seen& s = seen[i];
    auto [it, inserted] = by_transport.emplace(entry.card.transport.Hex(), &s);
    if (!inserted) {
      diag.Add(s.transport_line, s.path + "." + s.transport_key,
               "transport key is already registered to agency \"" + it->second->id + "\" (line " +
                   std::to_string(it->second->id_line) + "); every agency needs its own keys");
    }
  }
  return entries;
}

}  // namespace hub::config
