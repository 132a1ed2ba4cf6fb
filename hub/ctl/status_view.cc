#include "hub/ctl/status_view.h"

#include <nlohmann/json.hpp>

#include "hub/cfg/duration.h"
#include "hub/ctl/status_views.h"

namespace hub::ctl {
namespace {

constexpr int64_t kDefaultOfflineAfterMs = 15 * 60 * 1000;

Result<int64_t> DurationOption(const std::string& name, const std::string& text) {
  auto ms = cfg::ParseDurationMs(text);
  if (!ms.ok()) {
    return Status::InvalidArgument(name + ": " + ms.status().message());
  }
  return *ms;
}

// The part of the hub's JSON a view shows, printed as JSON for scripts.
std::string ViewJson(StatusView view, const std::string& raw) {
  if (view == StatusView::kFull) {
    return raw.empty() || raw.back() == '\n' ? raw : raw + "\n";
  }
  const char* key = view == StatusView::kAgencies ? "agencies"
                    : view == StatusView::kQueues ? "queues"
                                                  : "overdue";
  // FetchStatus has already parsed this text successfully, so it is valid JSON.
  nlohmann::ordered_json doc = nlohmann::ordered_json::parse(raw, nullptr, false);
  return doc[key].dump(2) + "\n";
}

}  // namespace

void AddStatusViewOptions(CLI::App& sub, StatusViewOptions& options) {
  sub.add_option("--socket", options.socket, "The hub's status socket")->capture_default_str();
  sub.add_flag("--json", options.json, "Print JSON for scripts instead of a table");
  sub.add_option("--offline-after", options.offline_after,
                 "An agency unseen this long makes the hub degraded (e.g. 15m; default: the "
                 "hub's offline_threshold_ms)");
  sub.add_option("--max-queue-age", options.max_queue_age,
                 "A queue whose oldest item is this old makes the hub degraded (default: the "
                 "offline threshold)");
}

Result<FetchedStatus> FetchStatus(const StatusViewOptions& options) {
  HUB_ASSIGN_OR_RETURN(std::string raw,
                       QueryStatusSocket(options.socket, "status", options.timeout_ms));
  HUB_ASSIGN_OR_RETURN(StatusReport report, ParseStatusReport(raw));
  return FetchedStatus{std::move(raw), std::move(report)};
}

Result<HealthThresholds> ResolveThresholds(const StatusViewOptions& options,
                                           const StatusReport& report) {
  HealthThresholds t;
  t.offline_after_ms =
      report.offline_threshold_ms > 0 ? report.offline_threshold_ms : kDefaultOfflineAfterMs;
  if (!options.offline_after.empty()) {
    HUB_ASSIGN_OR_RETURN(t.offline_after_ms,
                         DurationOption("--offline-after", options.offline_after));
  }
  t.max_queue_age_ms = t.offline_after_ms;
  if (!options.max_queue_age.empty()) {
    HUB_ASSIGN_OR_RETURN(t.max_queue_age_ms,
                         DurationOption("--max-queue-age", options.max_queue_age));
  }
  return t;
}

ExitCode RunStatusView(const std::string& command, StatusView view,
                       const StatusViewOptions& options, std::ostream& out, std::ostream& err) {
  auto fetched = FetchStatus(options);
  if (!fetched.ok()) {
    err << "sghubctl " << command << ": error: " << fetched.status().message() << "\n";
    return ExitCode::kError;
  }
  auto thresholds = ResolveThresholds(options, fetched->report);
  if (!thresholds.ok()) {
    err << "sghubctl " << command << ": error: " << thresholds.status().message() << "\n";
    return ExitCode::kError;
  }
  const HealthVerdict verdict = AssessHealth(fetched->report, *thresholds);
  if (options.json) {
    out << ViewJson(view, fetched->raw);
  } else {
    switch (view) {
      case StatusView::kFull:
        PrintFullStatus(fetched->report, verdict, out);
        break;
      case StatusView::kAgencies:
        PrintAgencies(fetched->report, out);
        break;
      case StatusView::kQueues:
        PrintQueues(fetched->report, out);
        break;
      case StatusView::kOverdue:
        PrintOverdue(fetched->report, out);
        break;
    }
    if (view != StatusView::kFull && verdict.degraded) {
      out << "\n";
      PrintHealth(verdict, out);
    }
  }
  return verdict.degraded ? ExitCode::kDegraded : ExitCode::kOk;
}

}  // namespace hub::ctl
