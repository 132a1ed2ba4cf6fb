#include <algorithm>
#include <filesystem>

#include "tests/bench/bench_hub.h"
#include "tests/bench/load_driver.h"
#include "tests/bench/proc_stats.h"
#include "tests/bench/scenarios.h"

namespace hub::bench {
namespace {

constexpr size_t kCouncil = 0;  // offline while the backlog builds
constexpr size_t kPolice = 1;   // online throughout

double Mb(int64_t kb) { return static_cast<double>(kb) / 1024.0; }

}  // namespace

Result<Figures> RunBacklog(BenchEnv& env, const BenchOptions& options) {
  Figures figures;
  const uint64_t n = options.backlog_alerts;
  AlertSource& source = *env.source;
  auto resigned = [&source](uint64_t i) { return source.Resign(i); };

  BenchHub hub(*env.world);
  hub.WipeStore();
  HUB_RETURN_IF_ERROR(hub.Start().status());
  LoadDriver driver(*env.world, source, {"council", "police"}, n);
  HUB_RETURN_IF_ERROR(driver.ConnectRecipient(kPolice));
  HUB_RETURN_IF_ERROR(driver.ConnectSenders());
  RunSpec fill;
  fill.count = n;
  fill.window_per_sender = options.window;
  fill.wait_mask = 1u << kPolice;
  HUB_ASSIGN_OR_RETURN(RunOutcome filled, driver.Run(fill, resigned));
  if (filled.refused != 0) {
    return Status::Internal(std::to_string(filled.refused) + " alerts refused");
  }
  figures["backlog_fill_alerts_per_s"] = static_cast<double>(n) / filled.seconds;
  int64_t peak_kb = PeakRssKb(hub.pid());
  figures["backlog_fill_peak_rss_mb"] = Mb(peak_kb);
  driver.DisconnectAll();

  // Restart with n queued for the council: clean (SIGTERM), then after a crash (SIGKILL).
  hub.Stop();
  std::error_code ec;
  figures["store_mb"] =
      static_cast<double>(std::filesystem::file_size(env.world->store_path(), ec)) / 1048576.0;
  HUB_ASSIGN_OR_RETURN(double ready_ms, hub.Start());
  figures["restart_ready_ms"] = ready_ms;
  figures["restart_rss_mb"] = Mb(RssKb(hub.pid()));
  peak_kb = std::max(peak_kb, PeakRssKb(hub.pid()));
  hub.Kill();
  HUB_ASSIGN_OR_RETURN(double crash_ready_ms, hub.Start());
  figures["restart_ready_after_kill_ms"] = crash_ready_ms;
  peak_kb = std::max(peak_kb, PeakRssKb(hub.pid()));

  // The council connects and drains its backlog.
  HUB_RETURN_IF_ERROR(driver.ConnectSenders());
  HUB_RETURN_IF_ERROR(driver.ConnectRecipient(kCouncil));
  RunSpec drain;
  drain.count = n;
  drain.submit = false;
  drain.wait_mask = 1u << kCouncil;
  HUB_ASSIGN_OR_RETURN(RunOutcome drained, driver.Run(drain, resigned));
  figures["backlog_drain_alerts_per_s"] = static_cast<double>(n) / drained.seconds;
  peak_kb = std::max(peak_kb, PeakRssKb(hub.pid()));
  figures["backlog_peak_rss_mb"] = Mb(peak_kb);
  driver.DisconnectAll();
  hub.Stop();
  return figures;
}

}  // namespace hub::bench
