// AdapterConfig is an adapter's whole configuration, read from one TOML file (see
// deploy/config/adapters/*.toml.example for every key, commented). LoadAdapterConfig checks
// everything it can without touching the network and reports every mistake at once, each as
// "FILE:LINE: KEY: reason"; unknown keys are refused so that a typo cannot silently leave a
// default in place. Relative paths are resolved against the config file's directory.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "hub/base/result.h"
#include "sghub/v1/common.pb.h"
#include "sghub/v1/envelope.pb.h"

namespace hub::sdk {

// [transport.spool]: a spool directory shared with the agency's system.
struct SpoolSettings {
  std::filesystem::path root;      // holds inbox/ sent/ failed/ outbox/ notices/
  int64_t poll_interval_ms = 250;  // how often inbox/ and pending answers are checked
};

// [transport.http]: an HTTP endpoint on loopback plus the agency's delivery URL.
struct HttpSettings {
  int port = 0;                        // 127.0.0.1:port; 0 picks a free port
  std::filesystem::path port_file;     // when set, the bound port is written there
  std::string delivery_url;            // deliveries are POSTed here (http://host:port/path)
  std::string notice_url;              // notices; empty: delivery_url
  int64_t submit_timeout_ms = 10000;   // POST /alerts waits this long for the hub's answer
  int delivery_attempts = 4;           // POSTs per delivery before nacking it transiently
  int64_t delivery_timeout_ms = 5000;  // per POST
};

struct AdapterConfig {
  std::filesystem::path source;  // the config file, for messages

  // [agency]
  std::string agency_id;
  sghub::v1::AgencyKind kind = sghub::v1::AGENCY_KIND_UNSPECIFIED;
  std::filesystem::path key_file;          // the agency's secret keys, mode 0600
  std::filesystem::path subject_key_file;  // the shared subject key, mode 0600
  std::filesystem::path state_dir;         // outbox and seen-ids database

  // [hub]
  std::string hub_endpoint;        // tcp://IP:PORT or ipc://PATH
  std::filesystem::path hub_card;  // the hub's public card
  int64_t reconnect_min_ms = 100;
  int64_t reconnect_max_ms = 10000;
  int64_t heartbeat_ms = 5000;        // ZMTP heartbeat interval; dead after 3x
  int64_t submit_timeout_ms = 10000;  // blocking Submit waits this long for an answer
  int64_t answer_timeout_ms = 30000;  // unanswered submissions are resent after this
  uint32_t max_in_flight = 32;        // deliveries held unacknowledged at once

  // [peers] dir and [[peer]] card: the public cards of every agency this one exchanges
  // alerts with (to seal to them and to verify their signatures).
  std::filesystem::path cards_dir;
  std::vector<std::filesystem::path> card_files;

  // [codec]
  std::string codec;  // empty: the binary's default

  // [defaults]
  std::vector<std::string> default_recipients;  // when a document names none
  sghub::v1::Purpose default_purpose = sghub::v1::PURPOSE_SAFEGUARDING;
  sghub::v1::LawfulBasis default_lawful_basis;  // fills an unspecified art6 / art9
  std::map<sghub::v1::Urgency, int64_t> lifetime_ms = {
      {sghub::v1::URGENCY_IMMEDIATE, 24LL * 3600 * 1000},
      {sghub::v1::URGENCY_URGENT, 3LL * 24 * 3600 * 1000},
      {sghub::v1::URGENCY_ROUTINE, 14LL * 24 * 3600 * 1000}};

  // [transport]
  std::string transport = "spool";
  SpoolSettings spool;
  HttpSettings http;
};

// Reads and validates `path`. InvalidArgument listing every problem as FILE:LINE: KEY:
// reason; NotFound/IOError when the file cannot be read. Does not load keys or cards.
Result<AdapterConfig> LoadAdapterConfig(const std::filesystem::path& path);

}  // namespace hub::sdk
