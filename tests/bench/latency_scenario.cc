#include <vector>

#include "tests/bench/bench_hub.h"
#include "tests/bench/load_driver.h"
#include "tests/bench/scenarios.h"

namespace hub::bench {

Result<Figures> RunLatency(BenchEnv& env, const BenchOptions& options) {
  const auto& sealed = env.source->Sealed();
  auto from_pool = [&sealed](uint64_t i) -> Result<std::string> { return sealed.at(i); };
  const uint64_t total = options.latency_warmup + options.latency_alerts;

  BenchHub hub(*env.world);
  hub.WipeStore();
  HUB_RETURN_IF_ERROR(hub.Start().status());
  LoadDriver driver(*env.world, *env.source, {"council", "police"}, total);
  HUB_RETURN_IF_ERROR(driver.ConnectRecipient(0));
  HUB_RETURN_IF_ERROR(driver.ConnectRecipient(1));
  HUB_RETURN_IF_ERROR(driver.ConnectSenders());
  RunSpec spec;
  spec.count = total;
  spec.rate_per_s = options.latency_rate;
  spec.wait_mask = 0b11;
  HUB_ASSIGN_OR_RETURN(RunOutcome out, driver.Run(spec, from_pool));
  if (out.refused != 0) {
    return Status::Internal(std::to_string(out.refused) + " alerts refused");
  }
  std::vector<double> accept_us;
  std::vector<double> deliver_us;
  for (uint64_t i = options.latency_warmup; i < total; ++i) {
    const AlertTimes& t = driver.times()[i];
    accept_us.push_back(static_cast<double>(t.accept_ns - t.submit_ns) / 1000.0);
    deliver_us.push_back(static_cast<double>(t.deliver_ns - t.submit_ns) / 1000.0);
  }
  Figures figures;
  figures["p50_accept_us"] = Quantile(accept_us, 0.50);
  figures["p99_accept_us"] = Quantile(accept_us, 0.99);
  figures["p999_accept_us"] = Quantile(accept_us, 0.999);
  figures["p50_deliver_us"] = Quantile(deliver_us, 0.50);
  figures["p99_deliver_us"] = Quantile(deliver_us, 0.99);
  figures["p999_deliver_us"] = Quantile(deliver_us, 0.999);
  figures["latency_achieved_per_s"] = static_cast<double>(total) / out.seconds;
  driver.DisconnectAll();
  hub.Stop();
  return figures;
}

}  // namespace hub::bench
