#include "hub/config/hub_config.h"

#include <toml++/toml.h>

#include <fstream>
#include <iterator>
#include <limits>
#include <optional>
#include <system_error>

#include "hub/config/agency_section.h"
#include "hub/cfg/diagnostics.h"
#include "hub/config/endpoint.h"
#include "hub/cfg/table_reader.h"
#include "hub/wire/agency_id.h"

namespace hub::config {

using cfg::Diagnostics;
using cfg::TableReader;
namespace {

using Need = TableReader::Need;
namespace fs = std::filesystem;

constexpr int64_t kSecond = 1000;
constexpr int64_t kMinute = 60 * kSecond;
constexpr int64_t kHour = 60 * kMinute;
constexpr int64_t kDay = 24 * kHour;
constexpr int64_t kKiB = 1024;
constexpr int64_t kMiB = 1024 * kKiB;
constexpr uintmax_t kMaxConfigBytes = 16 * 1024 * 1024;  // a config is a few KB; refuse junk

// Assigns an optional value to a config field of another integer type; ranges are checked
// before this, so the narrowing is exact.
template <typename T>
void Set(T& field, std::optional<int64_t> value) {
  if (value) {
    field = static_cast<T>(*value);
  }
}

// An existing regular file (following symlinks), for key_file and policy_file.
void CheckRegularFile(TableReader& r, std::string_view key, const fs::path& path,
                      std::string_view hint) {
  std::error_code ec;
  fs::file_status st = fs::status(path, ec);
  if (st.type() == fs::file_type::not_found) {
    r.Error(key, "\"" + path.string() + "\" does not exist" + std::string(hint));
  } else if (ec) {
    r.Error(key, "\"" + path.string() + "\" cannot be checked: " + ec.message());
  } else if (st.type() != fs::file_type::regular) {
    r.Error(key, "\"" + path.string() + "\" is not a regular file");
  }
}

void ReadHub(TableReader& r, const fs::path& base_dir, HubConfig& config) {
  r.RejectUnknownKeys({"id", "listen", "allow_public_bind", "status_socket", "data_dir", "key_file",
                       "policy_file"});
  if (std::optional<std::string> id = r.GetString("id", Need::kOptional)) {
    if (Status s = wire::ValidateAgencyId(*id); !s.ok()) {
      r.Error("id", s.message());
    } else {
      config.hub_id = *id;
    }
  }
  config.allow_public_bind = r.GetBool("allow_public_bind").value_or(false);
  if (std::optional<std::string> listen = r.GetString("listen", Need::kRequired)) {
    Result<std::string> endpoint =
        NormalizeListenEndpoint(*listen, base_dir, config.allow_public_bind);
    if (!endpoint.ok()) {
      r.Error("listen", endpoint.status().message());
    } else {
      config.listen_endpoint = *endpoint;
    }
  }

  if (std::optional<std::string> raw = r.GetString("status_socket", Need::kRequired)) {
    fs::path path = (fs::path(*raw).is_relative() ? base_dir / *raw : fs::path(*raw));
    path = path.lexically_normal();
    std::error_code ec;
    fs::file_status st = fs::symlink_status(path, ec);
    if (raw->starts_with("ipc://")) {
      r.Error("status_socket", "give a file path, not an ipc:// endpoint");
    } else if (Status s = CheckUnixSocketPath(path); !s.ok()) {
      r.Error("status_socket", s.message());
    } else if (fs::exists(st) && st.type() != fs::file_type::socket) {
      r.Error("status_socket",
              "\"" + path.string() + "\" exists and is not a socket; the hub will not replace it");
    } else if ("ipc://" + path.string() == config.listen_endpoint) {
      r.Error("status_socket", "is the same socket as hub.listen");
    } else {
      config.status_socket = path;
    }
  }

  if (std::optional<fs::path> data_dir = r.GetPath("data_dir", base_dir, Need::kRequired)) {
    std::error_code ec;
    fs::file_status st = fs::status(*data_dir, ec);
    if (fs::exists(st) && st.type() != fs::file_type::directory) {
      r.Error("data_dir", "\"" + data_dir->string() + "\" exists and is not a directory");
    } else {
      config.data_dir = *data_dir;
    }
  }
  if (std::optional<fs::path> key_file = r.GetPath("key_file", base_dir, Need::kRequired)) {
    CheckRegularFile(r, "key_file", *key_file, " (create it with: sghubctl keygen --kind hub)");
    config.key_file = *key_file;
  }
  if (std::optional<fs::path> policy = r.GetPath("policy_file", base_dir, Need::kOptional)) {
    CheckRegularFile(r, "policy_file", *policy, " (leave the key out for the default policy)");
    config.policy_file = *policy;
  }
}

void ReadLimits(TableReader& r, HubConfig& config) {
  r.RejectUnknownKeys({"max_frame_bytes", "max_header_bytes", "max_body_bytes", "max_recipients",
                       "max_subject_refs", "parse_depth", "max_clock_skew_ms", "max_in_flight",
                       "redeliver_after_ms", "batch_max"});
  wire::Limits& limits = config.limits;
  Set(limits.max_frame_bytes, r.GetInt("max_frame_bytes", 4 * kKiB, 64 * kMiB));
  Set(limits.max_header_bytes, r.GetInt("max_header_bytes", 1 * kKiB, 1 * kMiB));
  Set(limits.max_body_bytes, r.GetInt("max_body_bytes", 1 * kKiB, 64 * kMiB));
  Set(limits.max_recipients, r.GetInt("max_recipients", 1, 256));
  Set(limits.max_subject_refs, r.GetInt("max_subject_refs", 1, 64));
  Set(limits.parse_depth, r.GetInt("parse_depth", 8, 100));
  Set(config.max_clock_skew_ms, r.GetInt("max_clock_skew_ms", 1 * kSecond, 1 * kHour));
  Set(config.max_in_flight, r.GetInt("max_in_flight", 1, 10000));
  Set(config.redeliver_after_ms, r.GetInt("redeliver_after_ms", 1 * kSecond, 1 * kDay));
  Set(config.batch_max, r.GetInt("batch_max", 1, 10000));

  uint64_t largest_message = uint64_t{limits.max_header_bytes} + limits.max_body_bytes;
  if (largest_message > limits.max_frame_bytes) {
    std::string_view key = r.Has("max_body_bytes")     ? "max_body_bytes"
                           : r.Has("max_header_bytes") ? "max_header_bytes"
                                                       : "max_frame_bytes";
    r.Error(key, "max_header_bytes + max_body_bytes (" + std::to_string(largest_message) +
                     ") must not exceed max_frame_bytes (" +
                     std::to_string(limits.max_frame_bytes) +
                     "), or the largest valid alert could not be sent");
  }
}

void ReadTransport(TableReader& r, HubConfig& config) {
  r.RejectUnknownKeys(
      {"heartbeat_ivl_ms", "heartbeat_timeout_ms", "handshake_ivl_ms", "offline_threshold_ms"});
  Set(config.heartbeat_ivl_ms, r.GetInt("heartbeat_ivl_ms", 100, 10 * kMinute));
  Set(config.heartbeat_timeout_ms, r.GetInt("heartbeat_timeout_ms", 100, 1 * kHour));
  Set(config.handshake_ivl_ms, r.GetInt("handshake_ivl_ms", 100, 10 * kMinute));
  Set(config.offline_threshold_ms, r.GetInt("offline_threshold_ms", 10 * kSecond, 7 * kDay));
  if (config.heartbeat_timeout_ms <= config.heartbeat_ivl_ms) {
    std::string_view key =
        r.Has("heartbeat_timeout_ms") ? "heartbeat_timeout_ms" : "heartbeat_ivl_ms";
    r.Error(key, "heartbeat_timeout_ms (" + std::to_string(config.heartbeat_timeout_ms) +
                     ") must be longer than heartbeat_ivl_ms (" +
                     std::to_string(config.heartbeat_ivl_ms) + ")");
  }
  if (config.offline_threshold_ms < config.heartbeat_timeout_ms) {
    std::string_view key =
        r.Has("offline_threshold_ms") ? "offline_threshold_ms" : "heartbeat_timeout_ms";
    r.Error(key, "offline_threshold_ms (" + std::to_string(config.offline_threshold_ms) +
                     ") must be at least heartbeat_timeout_ms (" +
                     std::to_string(config.heartbeat_timeout_ms) + ")");
  }
}

void ReadDeadlines(TableReader& r, HubConfig& config) {
  r.RejectUnknownKeys({"immediate", "urgent", "routine_working_days"});
  Deadlines& d = config.deadlines;
  Set(d.immediate_ms, r.GetDurationMs("immediate", 1 * kMinute, 7 * kDay));
  Set(d.urgent_ms, r.GetDurationMs("urgent", 1 * kMinute, 30 * kDay));
  Set(d.routine_working_days, r.GetInt("routine_working_days", 1, 60));
  if (d.immediate_ms > d.urgent_ms) {
    std::string_view key = r.Has("immediate") ? "immediate" : "urgent";
    r.Error(key, "the immediate deadline must not be longer than the urgent one");
  }
}

void ReadAudit(TableReader& r, HubConfig& config) {
  r.RejectUnknownKeys({"checkpoint_interval"});
  Set(config.checkpoint_interval_ms, r.GetDurationMs("checkpoint_interval", 1 * kSecond, 1 * kDay));
}

void ReadRetention(TableReader& r, HubConfig& config) {
  r.RejectUnknownKeys({"body_days"});
  Set(config.retention_days, r.GetInt("body_days", 1, 3650));
}

// Runs `read` on the sub-table `name` of the root when present (defaults stay otherwise).
template <typename Fn>
void Section(TableReader& root, std::string_view name, Need need, Diagnostics& diag, Fn read) {
  if (const toml::table* table = root.GetTable(name, need)) {
    TableReader r(*table, std::string(name), diag);
    read(r);
  }
}

}  // namespace

const AgencyEntry* HubConfig::FindAgency(std::string_view id) const {
  for (const AgencyEntry& entry : agencies) {
    if (entry.card.id == id) {
      return &entry;
    }
  }
  return nullptr;
}

Result<HubConfig> ParseHubConfig(std::string_view toml_text, const fs::path& source_name) {
  Diagnostics diag(source_name.string());
  std::error_code ec;
  fs::path source = fs::absolute(source_name, ec).lexically_normal();
  if (ec) {
    return Status::IOError(source_name.string() +
                           ": cannot make the path absolute: " + ec.message());
  }
  fs::path base_dir = source.parent_path();

  toml::table root;
  try {
    root = toml::parse(toml_text, std::string_view(source_name.native()));
  } catch (const toml::parse_error& e) {
    diag.Add(e.source().begin.line, "syntax error", e.description());
    return diag.ToStatus();
  } catch (const std::exception& e) {
    return Status::Internal(source_name.string() + ": TOML parser failed: " + e.what());
  }

  HubConfig config;
  config.source = source;
  TableReader top(root, "", diag);
  top.RejectUnknownKeys(
      {"hub", "limits", "transport", "deadlines", "audit", "retention", "agency"});
  Section(top, "hub", Need::kRequired, diag, [&](TableReader& r) { ReadHub(r, base_dir, config); });
  Section(top, "limits", Need::kOptional, diag, [&](TableReader& r) { ReadLimits(r, config); });
  Section(top, "transport", Need::kOptional, diag,
          [&](TableReader& r) { ReadTransport(r, config); });
  Section(top, "deadlines", Need::kOptional, diag,
          [&](TableReader& r) { ReadDeadlines(r, config); });
  Section(top, "audit", Need::kOptional, diag, [&](TableReader& r) { ReadAudit(r, config); });
  Section(top, "retention", Need::kOptional, diag,
          [&](TableReader& r) { ReadRetention(r, config); });
  config.agencies = ParseAgencySection(root, base_dir, config.hub_id, diag);

  HUB_RETURN_IF_ERROR(diag.ToStatus());
  return config;
}

Result<HubConfig> LoadHubConfig(const fs::path& file) {
  std::error_code ec;
  fs::file_status st = fs::status(file, ec);
  if (st.type() == fs::file_type::not_found) {
    return Status::NotFound(file.string() + ": configuration file does not exist");
  }
  if (ec) {
    return Status::IOError(file.string() + ": cannot read the configuration: " + ec.message());
  }
  if (st.type() != fs::file_type::regular) {
    return Status::InvalidArgument(file.string() + ": configuration is not a regular file");
  }
  uintmax_t size = fs::file_size(file, ec);
  if (!ec && size > kMaxConfigBytes) {
    return Status::InvalidArgument(file.string() + ": configuration is " + std::to_string(size) +
                                   " bytes; that is not a config file");
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    return Status::IOError(file.string() + ": cannot open the configuration");
  }
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) {
    return Status::IOError(file.string() + ": cannot read the configuration");
  }
  return ParseHubConfig(text, file);
}

Result<std::vector<AgencyEntry>> LoadAgencies(const fs::path& file) {
  HUB_ASSIGN_OR_RETURN(HubConfig config, LoadHubConfig(file));
  return std::move(config.agencies);
}

}  // namespace hub::config
