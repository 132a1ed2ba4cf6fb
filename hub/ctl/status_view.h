// What sghubctl's status-socket commands (status, watch, agencies, queues, overdue) share:
// their options, fetching and parsing the hub's status, the health verdict and the exit
// code. Each command file only names its view.
#pragma once

#include <CLI/CLI.hpp>
#include <filesystem>
#include <ostream>
#include <string>

#include "hub/base/result.h"
#include "hub/ctl/command.h"
#include "hub/ctl/status_client.h"
#include "hub/ctl/status_health.h"
#include "hub/ctl/status_report.h"

namespace hub::ctl {

struct StatusViewOptions {
  std::filesystem::path socket = kDefaultStatusSocket;
  bool json = false;          // print the hub's JSON (or the view's part of it) instead
  std::string offline_after;  // duration; empty: the hub's offline_threshold_ms, else 15m
  std::string max_queue_age;  // duration; empty: the same as the offline threshold
  int timeout_ms = 5000;
};

enum class StatusView { kFull, kAgencies, kQueues, kOverdue };

// Adds --socket, --json, --offline-after and --max-queue-age to a subcommand.
void AddStatusViewOptions(CLI::App& sub, StatusViewOptions& options);

struct FetchedStatus {
  std::string raw;  // the hub's JSON as received
  StatusReport report;
};
// Asks the hub for "status" and parses the answer.
Result<FetchedStatus> FetchStatus(const StatusViewOptions& options);

// The thresholds the options ask for, defaulting as described above. InvalidArgument
// naming the option when a duration does not parse.
Result<HealthThresholds> ResolveThresholds(const StatusViewOptions& options,
                                           const StatusReport& report);

// Fetches, prints `view` (or its JSON) to `out`, and returns kOk when healthy, kDegraded
// when not, kError (one line on `err`, prefixed by `command`) when the hub cannot be asked.
ExitCode RunStatusView(const std::string& command, StatusView view,
                       const StatusViewOptions& options, std::ostream& out, std::ostream& err);

}  // namespace hub::ctl
