// The configuration of the hub daemon `sghubd`: where it listens, where it keeps its store
// and key, its limits and timers, the closed-loop deadlines, and the registry of agencies
// allowed to connect. It is read from one TOML file (deploy/config/sghubd.toml.example,
// docs/configuration.md) and fully validated before the daemon does anything else.
//
// Every error message has the form "FILE:LINE: KEY: reason", where LINE is the line of the
// key at fault or, when a required key is missing, the line of its table. All errors in the
// file are reported together, in line order, one per line, in a single InvalidArgument.
//
// Secrets are never read here: the hub's key_file is only checked to exist as a regular file;
// the daemon loads it (and checks its mode) with hub::wire::LoadSecretKeyFile. Agency cards
// hold only public keys and are loaded here.
//
// The functions are pure apart from reading the config file, card files and file metadata;
// safe to call from any thread.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "hub/base/result.h"
#include "hub/wire/agency_keys.h"
#include "hub/wire/limits.h"

namespace hub::config {

// One registered agency ([[agency]] in the file).
struct AgencyEntry {
  wire::AgencyCard card;           // id, kind and the three public keys
  std::string escalation_contact;  // agency notified when alerts TO this agency go overdue;
                                   // empty: only the sender is notified
  std::string display_name;        // for status output; the id when the file gives no name
  bool revoked = false;            // refused at the handshake; live connections are dropped
};

// Closed-loop deadlines by urgency: an alert not acknowledged and answered with an OUTCOME
// within its deadline is escalated.
struct Deadlines {
  int64_t immediate_ms = 3600000;    // 1 h
  int64_t urgent_ms = 86400000;      // 24 h
  int64_t routine_working_days = 5;  // Monday to Friday
};

struct HubConfig {
  std::filesystem::path source;         // absolute path of the file it came from
  std::string hub_id = "hub";           // the hub's own agency id (sender of notices)
  std::string listen_endpoint;          // "tcp://IP:PORT" or "ipc:///abs/path", ready to bind
  bool allow_public_bind = false;       // the listen host may be a wildcard
  std::filesystem::path status_socket;  // absolute file path of the status socket
  std::filesystem::path data_dir;       // absolute; the store lives at data_dir/sghub.db
  std::filesystem::path key_file;       // absolute; the hub's secret key file (exists)
  std::filesystem::path policy_file;    // absolute, or empty for the built-in default policy

  wire::Limits limits;                 // frame, header, body, recipients, parse depth
  int64_t max_clock_skew_ms = 300000;  // refuse alerts dated further from the hub's clock
  uint32_t max_in_flight = 64;         // unacknowledged deliveries per agency
  int64_t redeliver_after_ms = 30000;  // no ack within this: redeliver
  uint32_t batch_max = 256;            // submissions per group commit

  int64_t heartbeat_ivl_ms = 5000;        // ZMTP heartbeat interval
  int64_t heartbeat_timeout_ms = 15000;   // no heartbeat reply within this: drop connection
  int64_t handshake_ivl_ms = 5000;        // a CURVE handshake must finish within this
  int64_t offline_threshold_ms = 900000;  // an agency unseen for longer shows as degraded

  Deadlines deadlines;
  int64_t checkpoint_interval_ms = 60000;  // the hub signs an audit checkpoint this often
  int64_t retention_days = 30;             // bodies purged this long after delivery; audit kept

  std::vector<AgencyEntry> agencies;  // ids unique, transport keys unique

  // The entry with this id, or nullptr. The pointer is valid while `agencies` is unchanged.
  const AgencyEntry* FindAgency(std::string_view id) const;
};

// Reads and validates `file`. NotFound/IOError (naming the file) when it cannot be read;
// InvalidArgument listing every problem otherwise.
Result<HubConfig> LoadHubConfig(const std::filesystem::path& file);

// Validates `toml_text` as if read from `source_name`: messages start with `source_name` as
// given, and relative paths in the file (key_file, data_dir, cards, ipc sockets...) resolve
// against the directory of `source_name` (made absolute against the working directory).
Result<HubConfig> ParseHubConfig(std::string_view toml_text,
                                 const std::filesystem::path& source_name);

// For a SIGHUP reload of the registry. Re-reads and validates the whole file exactly as
// LoadHubConfig does (so a reload never accepts a file that would stop the next start), and
// returns only its agency list; changes outside [[agency]] take effect at the next restart.
Result<std::vector<AgencyEntry>> LoadAgencies(const std::filesystem::path& file);

}  // namespace hub::config
