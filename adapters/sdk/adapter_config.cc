#include "adapters/sdk/adapter_config.h"

#include <toml++/toml.h>

#include <fstream>
#include <sstream>

#include "adapters/codecs/enum_names.h"
#include "hub/cfg/diagnostics.h"
#include "hub/cfg/table_reader.h"
#include "hub/wire/agency_id.h"

namespace hub::sdk {
namespace {

namespace fs = std::filesystem;
using cfg::Diagnostics;
using cfg::TableReader;
using Need = TableReader::Need;

constexpr int64_t kMs = 1;
constexpr int64_t kMinute = 60 * 1000;
constexpr int64_t kDay = 24 * 60 * kMinute;

// An array of non-empty strings under `key`, or an error per bad element.
std::vector<std::string> StringArray(const toml::table& table, TableReader& reader,
                                     std::string_view key) {
  std::vector<std::string> out;
  const toml::node* node = table.get(key);
  if (node == nullptr) {
    return out;
  }
  const toml::array* array = node->as_array();
  if (array == nullptr) {
    reader.Error(key, "expected an array of strings");
    return out;
  }
  for (size_t i = 0; i < array->size(); ++i) {
    const toml::value<std::string>* s = (*array)[i].as_string();
    if (s == nullptr || s->get().empty()) {
      reader.Error(key, "element " + std::to_string(i) + " must be a non-empty string");
      continue;
    }
    out.push_back(s->get());
  }
  return out;
}

template <typename E>
void ReadEnum(TableReader& reader, std::string_view key, E* out) {
  std::optional<std::string> name = reader.GetString(key, Need::kOptional);
  if (!name) {
    return;
  }
  std::optional<E> value = codecs::EnumFromName<E>(*name);
  if (!value) {
    reader.Error(key, "unknown value \"" + *name + "\"; expected one of " + codecs::EnumNames<E>());
    return;
  }
  *out = *value;
}

void ReadAgency(const toml::table& root, Diagnostics& diag, const fs::path& base,
                AdapterConfig& c) {
  TableReader top(root, "", diag);
  const toml::table* t = top.GetTable("agency", Need::kRequired);
  if (t == nullptr) {
    return;
  }
  TableReader r(*t, "agency", diag);
  r.RejectUnknownKeys({"id", "kind", "key_file", "subject_key_file", "state_dir"});
  if (auto id = r.GetString("id", Need::kRequired)) {
    Status valid = wire::ValidateAgencyId(*id);
    if (valid.ok()) {
      c.agency_id = *id;
    } else {
      r.Error("id", valid.message());
    }
  }
  if (auto kind = r.GetString("kind", Need::kRequired)) {
    auto parsed = wire::ParseAgencyKind(*kind);
    if (!parsed.ok() || *parsed == sghub::v1::AGENCY_KIND_HUB) {
      r.Error("kind", "expected nhs_mh, council or police, got \"" + *kind + "\"");
    } else {
      c.kind = *parsed;
    }
  }
  if (auto p = r.GetPath("key_file", base, Need::kRequired)) {
    c.key_file = *p;
  }
  if (auto p = r.GetPath("subject_key_file", base, Need::kRequired)) {
    c.subject_key_file = *p;
  }
  if (auto p = r.GetPath("state_dir", base, Need::kRequired)) {
    c.state_dir = *p;
  }
}

void ReadHub(const toml::table& root, Diagnostics& diag, const fs::path& base, AdapterConfig& c) {
  TableReader top(root, "", diag);
  const toml::table* t = top.GetTable("hub", Need::kRequired);
  if (t == nullptr) {
    return;
  }
  TableReader r(*t, "hub", diag);
  r.RejectUnknownKeys({"endpoint", "card", "reconnect_min", "reconnect_max", "heartbeat",
                       "submit_timeout", "answer_timeout", "max_in_flight"});
  if (auto e = r.GetString("endpoint", Need::kRequired)) {
    if (e->rfind("tcp://", 0) == 0 || e->rfind("ipc://", 0) == 0) {
      c.hub_endpoint = *e;
    } else {
      r.Error("endpoint", "expected tcp://IP:PORT or ipc://PATH, got \"" + *e + "\"");
    }
  }
  if (auto p = r.GetPath("card", base, Need::kRequired)) {
    c.hub_card = *p;
  }
  if (auto v = r.GetDurationMs("reconnect_min", 10 * kMs, 60000)) {
    c.reconnect_min_ms = *v;
  }
  if (auto v = r.GetDurationMs("reconnect_max", 10 * kMs, 10 * kMinute)) {
    c.reconnect_max_ms = *v;
  }
  if (c.reconnect_max_ms < c.reconnect_min_ms) {
    r.Error("reconnect_max", "must not be less than reconnect_min");
  }
  if (auto v = r.GetDurationMs("heartbeat", 100 * kMs, 10 * kMinute)) {
    c.heartbeat_ms = *v;
  }
  if (auto v = r.GetDurationMs("submit_timeout", 100 * kMs, 10 * kMinute)) {
    c.submit_timeout_ms = *v;
  }
  if (auto v = r.GetDurationMs("answer_timeout", 1000 * kMs, 60 * kMinute)) {
    c.answer_timeout_ms = *v;
  }
  if (auto v = r.GetInt("max_in_flight", 1, 1024)) {
    c.max_in_flight = static_cast<uint32_t>(*v);
  }
}

void ReadPeers(const toml::table& root, Diagnostics& diag, const fs::path& base, AdapterConfig& c) {
  TableReader top(root, "", diag);
  if (const toml::table* t = top.GetTable("peers", Need::kOptional)) {
    TableReader r(*t, "peers", diag);
    r.RejectUnknownKeys({"dir"});
    if (auto p = r.GetPath("dir", base, Need::kOptional)) {
      c.cards_dir = *p;
    }
  }
  if (const toml::node* node = root.get("peer")) {
    const toml::array* array = node->as_array();
    if (array == nullptr || !array->is_array_of_tables()) {
      top.Error("peer", "expected [[peer]] tables");
      return;
    }
    for (size_t i = 0; i < array->size(); ++i) {
      TableReader r(*(*array)[i].as_table(), "peer[" + std::to_string(i) + "]", diag);
      r.RejectUnknownKeys({"card"});
      if (auto p = r.GetPath("card", base, Need::kRequired)) {
        c.card_files.push_back(*p);
      }
    }
  }
  if (c.cards_dir.empty() && c.card_files.empty() && diag.empty()) {
    diag.Add(1, "peers",
             "missing: give [peers] dir or [[peer]] card entries (the cards of "
             "the agencies you exchange alerts with)");
  }
}

void ReadDefaults(const toml::table& root, Diagnostics& diag, AdapterConfig& c) {
  TableReader top(root, "", diag);
  if (const toml::table* t = top.GetTable("codec", Need::kOptional)) {
    TableReader r(*t, "codec", diag);
    r.RejectUnknownKeys({"name"});
    if (auto n = r.GetString("name", Need::kOptional)) {
      c.codec = *n;
    }
  }
  const toml::table* t = top.GetTable("defaults", Need::kOptional);
  if (t == nullptr) {
    return;
  }
  TableReader r(*t, "defaults", diag);
  r.RejectUnknownKeys({"recipients", "purpose", "art6", "art9", "lifetime"});
  c.default_recipients = StringArray(*t, r, "recipients");
  for (const std::string& id : c.default_recipients) {
    Status valid = wire::ValidateAgencyId(id);
    if (!valid.ok()) {
      r.Error("recipients", valid.message());
    }
  }
  ReadEnum(r, "purpose", &c.default_purpose);
  sghub::v1::Art6Basis art6 = sghub::v1::ART6_BASIS_UNSPECIFIED;
  sghub::v1::Art9Condition art9 = sghub::v1::ART9_CONDITION_UNSPECIFIED;
  ReadEnum(r, "art6", &art6);
  ReadEnum(r, "art9", &art9);
  c.default_lawful_basis.set_art6(art6);
  c.default_lawful_basis.set_art9(art9);
  if (const toml::table* lt = r.GetTable("lifetime", Need::kOptional)) {
    TableReader l(*lt, "defaults.lifetime", diag);
    l.RejectUnknownKeys({"immediate", "urgent", "routine"});
    const std::pair<const char*, sghub::v1::Urgency> keys[] = {
        {"immediate", sghub::v1::URGENCY_IMMEDIATE},
        {"urgent", sghub::v1::URGENCY_URGENT},
        {"routine", sghub::v1::URGENCY_ROUTINE}};
    for (const auto& [key, urgency] : keys) {
      if (auto v = l.GetDurationMs(key, kMinute, 90 * kDay)) {
        c.lifetime_ms[urgency] = *v;
      }
    }
  }
}

void ReadTransport(const toml::table& root, Diagnostics& diag, const fs::path& base,
                   AdapterConfig& c) {
  TableReader top(root, "", diag);
  const toml::table* t = top.GetTable("transport", Need::kRequired);
  if (t == nullptr) {
    return;
  }
  TableReader r(*t, "transport", diag);
  r.RejectUnknownKeys({"name", "spool", "http"});
  if (auto n = r.GetString("name", Need::kRequired)) {
    c.transport = *n;
  }
  if (const toml::table* st = r.GetTable("spool", Need::kOptional)) {
    TableReader s(*st, "transport.spool", diag);
    s.RejectUnknownKeys({"root", "poll_interval"});
    if (auto p = s.GetPath("root", base, Need::kRequired)) {
      c.spool.root = *p;
    }
    if (auto v = s.GetDurationMs("poll_interval", 10 * kMs, kMinute)) {
      c.spool.poll_interval_ms = *v;
    }
  } else if (c.transport == "spool") {
    r.Error("spool",
            "missing: [transport.spool] with root = \"...\" is required for the "
            "spool transport");
  }
  if (const toml::table* ht = r.GetTable("http", Need::kOptional)) {
    TableReader h(*ht, "transport.http", diag);
    h.RejectUnknownKeys({"port", "port_file", "delivery_url", "notice_url", "submit_timeout",
                         "delivery_attempts", "delivery_timeout"});
    if (auto v = h.GetInt("port", 0, 65535)) {
      c.http.port = static_cast<int>(*v);
    }
    if (auto p = h.GetPath("port_file", base, Need::kOptional)) {
      c.http.port_file = *p;
    }
    for (const char* key : {"delivery_url", "notice_url"}) {
      if (auto u = h.GetString(key, Need::kOptional)) {
        if (u->rfind("http://", 0) != 0) {
          h.Error(key, "expected an http:// URL, got \"" + *u + "\"");
        } else if (std::string_view(key) == "delivery_url") {
          c.http.delivery_url = *u;
        } else {
          c.http.notice_url = *u;
        }
      }
    }
    if (c.transport == "http" && c.http.delivery_url.empty() && h.Has("delivery_url") == false) {
      h.Error("delivery_url", "missing (required): where deliveries are POSTed");
    }
    if (auto v = h.GetDurationMs("submit_timeout", 100 * kMs, 10 * kMinute)) {
      c.http.submit_timeout_ms = *v;
    }
    if (auto v = h.GetInt("delivery_attempts", 1, 100)) {
      c.http.delivery_attempts = static_cast<int>(*v);
    }
    if (auto v = h.GetDurationMs("delivery_timeout", 100 * kMs, 10 * kMinute)) {
      c.http.delivery_timeout_ms = *v;
    }
  } else if (c.transport == "http") {
    r.Error("http",
            "missing: [transport.http] with delivery_url = \"...\" is required for "
            "the http transport");
  }
}

}  // namespace

Result<AdapterConfig> LoadAdapterConfig(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) {
    std::error_code ec;
    if (!fs::exists(path, ec)) {
      return Status::NotFound(path.string() + ": no such configuration file");
    }
    return Status::IOError(path.string() + ": cannot read the configuration file");
  }
  std::stringstream text;
  text << in.rdbuf();
  Diagnostics diag(path.string());
  toml::table root;
  try {
    root = toml::parse(text.str(), std::string_view(path.native()));
  } catch (const toml::parse_error& e) {
    diag.Add(e.source().begin.line, "syntax error", e.description());
    return diag.ToStatus();
  } catch (const std::exception& e) {
    return Status::Internal(path.string() + ": TOML parser failed: " + e.what());
  }
  std::error_code ec;
  const fs::path base = fs::absolute(path, ec).parent_path();
  AdapterConfig c;
  c.source = path;
  TableReader top(root, "", diag);
  top.RejectUnknownKeys({"agency", "hub", "peers", "peer", "codec", "defaults", "transport"});
  ReadAgency(root, diag, base, c);
  ReadHub(root, diag, base, c);
  ReadPeers(root, diag, base, c);
  ReadDefaults(root, diag, c);
  ReadTransport(root, diag, base, c);
  HUB_RETURN_IF_ERROR(diag.ToStatus());
  return c;
}

}  // namespace hub::sdk
