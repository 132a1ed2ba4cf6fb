// The scenarios of sghub-bench (docs/performance.md). Each runs against a fresh store of
// the hub in `env` and returns its figures under their plain names.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "hub/base/result.h"
#include "tests/bench/alert_source.h"
#include "tests/bench/bench_figures.h"
#include "tests/testutil/test_world.h"

namespace hub::bench {

struct BenchOptions {
  uint64_t alerts = 100000;          // throughput: alerts per phase
  uint64_t latency_alerts = 5000;    // latency: measured alerts (after a warm-up)
  uint64_t latency_warmup = 200;
  double latency_rate = 500;         // latency: submissions per second, one in flight
  uint64_t backlog_alerts = 1000000;  // backlog and restart: alerts queued for the offline one
  int senders = 4;                   // sender connections (one agency each)
  int window = 128;                  // outstanding submissions per sender
  size_t body_bytes = 1024;
  double crypto_seconds = 1.0;       // per operation
  int seal_threads = 2;
  std::string hub_limits;            // extra [limits] keys for the hub's config
};

// A hub deployment in a directory: the agencies, the alerts, the endpoint.
struct BenchEnv {
  std::unique_ptr<testutil::TestWorld> world;
  std::unique_ptr<AlertSource> source;  // sealed alerts for throughput and latency
  std::string transport;                // "tcp" or "ipc"
};

// Makes the world in `dir` (listening on tcp://127.0.0.1:<free port> or an ipc socket) and
// seals max(alerts, latency_warmup + latency_alerts) alerts.
Result<BenchEnv> MakeEnv(const std::filesystem::path& dir, const std::string& transport,
                         const BenchOptions& options, bool seal);

// accepted_alerts_per_s, end_to_end_alerts_per_s, hub_cpu_us_per_alert, bench_cpu_us_per_alert
Result<Figures> RunThroughput(BenchEnv& env, const BenchOptions& options);
// p50/p99/p999 of submit-to-accepted and submit-to-delivered, microseconds.
Result<Figures> RunLatency(BenchEnv& env, const BenchOptions& options);
// backlog_peak_rss_mb, backlog_drain_alerts_per_s, restart_ready_ms,
// restart_ready_after_kill_ms, backlog_fill_alerts_per_s, store_mb
Result<Figures> RunBacklog(BenchEnv& env, const BenchOptions& options);
// sign_per_s, verify_per_s, seal_per_s, open_per_s (one core).
Result<Figures> RunCrypto(BenchEnv& env, const BenchOptions& options);

}  // namespace hub::bench
