#include "tests/bench/bench_hub.h"
#include "tests/bench/load_driver.h"
#include "tests/bench/proc_stats.h"
#include "tests/bench/scenarios.h"

namespace hub::bench {
namespace {

constexpr uint8_t kBothRecipients = 0b11;

}  // namespace

Result<Figures> RunThroughput(BenchEnv& env, const BenchOptions& options) {
  Figures figures;
  const auto& sealed = env.source->Sealed();
  auto from_pool = [&sealed](uint64_t i) -> Result<std::string> { return sealed.at(i); };
  RunSpec spec;
  spec.count = options.alerts;
  spec.window_per_sender = options.window;

  {
    // Durable acceptance alone: recipients offline, so the hub verifies, decides, audits,
    // queues and fsyncs, and delivers nothing.
    BenchHub hub(*env.world);
    hub.WipeStore();
    HUB_RETURN_IF_ERROR(hub.Start().status());
    LoadDriver driver(*env.world, *env.source, {"council", "police"}, options.alerts);
    HUB_RETURN_IF_ERROR(driver.ConnectSenders());
    const int64_t cpu_before = CpuTimeUs(hub.pid());
    HUB_ASSIGN_OR_RETURN(RunOutcome out, driver.Run(spec, from_pool));
    const int64_t cpu_after = CpuTimeUs(hub.pid());
    if (out.refused != 0) {
      return Status::Internal(std::to_string(out.refused) + " alerts refused");
    }
    figures["accepted_alerts_per_s"] = static_cast<double>(out.accepted) / out.seconds;
    figures["hub_cpu_us_per_accepted_alert"] =
        static_cast<double>(cpu_after - cpu_before) / static_cast<double>(out.accepted);
    driver.DisconnectAll();
    hub.Stop();
  }
  {
    // End to end: both recipients connected and acking, senders acking delivery reports.
    BenchHub hub(*env.world);
    hub.WipeStore();
    HUB_RETURN_IF_ERROR(hub.Start().status());
    LoadDriver driver(*env.world, *env.source, {"council", "police"}, options.alerts);
    HUB_RETURN_IF_ERROR(driver.ConnectRecipient(0));
    HUB_RETURN_IF_ERROR(driver.ConnectRecipient(1));
    HUB_RETURN_IF_ERROR(driver.ConnectSenders());
    spec.wait_mask = kBothRecipients;
    const int64_t cpu_before = CpuTimeUs(hub.pid());
    const int64_t self_before = SelfCpuTimeUs();
    HUB_ASSIGN_OR_RETURN(RunOutcome out, driver.Run(spec, from_pool));
    const int64_t cpu_after = CpuTimeUs(hub.pid());
    const int64_t self_after = SelfCpuTimeUs();
    if (out.refused != 0) {
      return Status::Internal(std::to_string(out.refused) + " alerts refused");
    }
    const double n = static_cast<double>(out.accepted);
    figures["end_to_end_alerts_per_s"] = n / out.seconds;
    figures["hub_cpu_us_per_alert"] = static_cast<double>(cpu_after - cpu_before) / n;
    figures["bench_cpu_us_per_alert"] = static_cast<double>(self_after - self_before) / n;
    figures["end_to_end_redeliveries"] =
        static_cast<double>(out.deliveries) - 2 * n;  // repeats beyond one per recipient
    driver.DisconnectAll();
    hub.Stop();
  }
  return figures;
}

}  // namespace hub::bench
