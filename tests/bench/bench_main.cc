// sghub-bench: measures a real sghubd (its binary, its on-disk SQLite store, CurveZMQ
// connections) against the targets of docs/performance.md. See `sghub-bench --help`.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>
#include <string>

#include <CLI/CLI.hpp>

#include "hub/wire/crypto_init.h"
#include "tests/bench/bench_figures.h"
#include "tests/bench/proc_stats.h"
#include "tests/bench/scenarios.h"
#include "tests/testutil/paths.h"

#ifndef SGHUB_BENCH_BUILD_TYPE
#define SGHUB_BENCH_BUILD_TYPE "unknown"
#endif

namespace {

using hub::bench::BenchEnv;
using hub::bench::BenchOptions;
using hub::bench::BenchReport;
using hub::bench::Figures;

std::set<std::string> ParseScenarios(const std::string& list) {
  std::set<std::string> out;
  std::stringstream in(list);
  std::string item;
  while (std::getline(in, item, ',')) {
    if (item == "all") {
      out.insert({"throughput", "latency", "backlog", "restart", "crypto"});
    } else if (!item.empty()) {
      out.insert(item);
    }
  }
  return out;
}

// Removes the bench's directory unless asked to keep it.
class WorkDir {
 public:
  WorkDir(std::filesystem::path path, bool keep) : path_(std::move(path)), keep_(keep) {}
  ~WorkDir() {
    if (!keep_) {
      std::error_code ec;
      std::filesystem::remove_all(path_, ec);
    }
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
  bool keep_;
};

// The first three fields of /proc/loadavg (1, 5 and 15 minute load averages).
std::string LoadAverage() {
  std::ifstream in("/proc/loadavg");
  std::string one, five, fifteen;
  in >> one >> five >> fifteen;
  return one + " " + five + " " + fifteen;
}

int Fail(const std::string& what, const hub::Status& why) {
  std::fprintf(stderr, "sghub-bench: %s: %s\n", what.c_str(), why.ToString().c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"sghub-bench: throughput, latency, backlog, restart and crypto of a real sghubd"};
  BenchOptions options;
  std::string scenarios = "all";
  std::string transport = "tcp";
  std::string base_dir;
  int runs = 1;
  bool json = false;
  bool smoke = false;
  bool keep = false;
  app.add_option("--scenario", scenarios,
                 "comma list of throughput, latency, backlog, restart, crypto, all");
  app.add_option("--runs", runs, "repeat each scenario; figures are medians")->check(CLI::Range(1, 100));
  app.add_flag("--json", json, "print JSON on stdout (the table goes to stderr)");
  app.add_flag("--smoke", smoke, "a ~5 s run with small sizes (CI)");
  app.add_option("--alerts", options.alerts, "throughput: alerts per phase");
  app.add_option("--latency-alerts", options.latency_alerts, "latency: measured alerts");
  app.add_option("--rate", options.latency_rate, "latency: submissions per second");
  app.add_option("--backlog-alerts", options.backlog_alerts,
                 "backlog/restart: alerts queued for the offline recipient");
  app.add_option("--senders", options.senders, "sender connections")->check(CLI::Range(1, 64));
  app.add_option("--window", options.window, "outstanding submissions per sender");
  app.add_option("--body-bytes", options.body_bytes, "alert body size");
  app.add_option("--crypto-seconds", options.crypto_seconds, "crypto: seconds per operation");
  app.add_option("--transport", transport, "tcp (127.0.0.1) or ipc");
  app.add_option("--hub-limits", options.hub_limits,
                 "extra [limits] keys for the hub, e.g. 'batch_max = 512'");
  app.add_option("--dir", base_dir, "where the hub's store goes (default $TMPDIR or /tmp)");
  app.add_flag("--keep", keep, "keep the directory (keys, config, store, hub log)");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  if (smoke) {
    options.alerts = 2000;
    options.latency_alerts = 300;
    options.latency_warmup = 50;
    options.backlog_alerts = 3000;
    options.crypto_seconds = 0.2;
  }
  if (!hub::wire::InitCrypto().ok()) {
    std::fprintf(stderr, "sghub-bench: libsodium failed to initialise\n");
    return 1;
  }
  const std::set<std::string> chosen = ParseScenarios(scenarios);
  for (const std::string& s : chosen) {
    if (s != "throughput" && s != "latency" && s != "backlog" && s != "restart" && s != "crypto") {
      std::fprintf(stderr, "sghub-bench: unknown scenario %s\n", s.c_str());
      return 2;
    }
  }

  if (base_dir.empty()) {
    const char* tmp = std::getenv("TMPDIR");
    base_dir = tmp != nullptr ? tmp : "/tmp";
  }
  std::string tmpl = base_dir + "/sghub-bench-XXXXXX";
  if (mkdtemp(tmpl.data()) == nullptr) {
    std::fprintf(stderr, "sghub-bench: cannot make a directory under %s\n", base_dir.c_str());
    return 1;
  }
  WorkDir dir(tmpl, keep);
  const bool needs_pool = chosen.count("throughput") != 0 || chosen.count("latency") != 0;
  const auto seal_start = std::chrono::steady_clock::now();
  auto env = hub::bench::MakeEnv(dir.path(), transport, options, needs_pool);
  if (!env.ok()) {
    return Fail("setting up", env.status());
  }
  const double seal_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - seal_start).count();

  BenchReport report;
  report.SetInfo("nproc", std::to_string(sysconf(_SC_NPROCESSORS_ONLN)));
  report.SetInfo("cpu_model", hub::bench::CpuModel());
  report.SetInfo("build_type", SGHUB_BENCH_BUILD_TYPE);
  report.SetInfo("loadavg_at_start", LoadAverage());
  report.SetInfo("transport", transport + " " + env->world->endpoint());
  report.SetInfo("sghubd", hub::testutil::BuiltProgram("hub/daemon/sghubd").string());
  report.SetInfo("store_dir", dir.path().string());
  report.SetInfo("sizes", "alerts=" + std::to_string(options.alerts) +
                              " latency_alerts=" + std::to_string(options.latency_alerts) +
                              " rate=" + std::to_string(static_cast<int>(options.latency_rate)) +
                              " backlog_alerts=" + std::to_string(options.backlog_alerts) +
                              " senders=" + std::to_string(options.senders) +
                              " window=" + std::to_string(options.window) +
                              " body_bytes=" + std::to_string(options.body_bytes));
  if (needs_pool) {
    report.SetInfo("presealed", std::to_string(env->source->Sealed().size()) + " alerts in " +
                                    std::to_string(seal_s) + " s (not timed)");
  }

  for (int run = 0; run < runs; ++run) {
    Figures figures;
    auto add = [&figures](const hub::Result<Figures>& got) {
      if (got.ok()) {
        figures.insert(got->begin(), got->end());
      }
      return got.status();
    };
    if (chosen.count("crypto") != 0) {
      hub::Status s = add(hub::bench::RunCrypto(*env, options));
      if (!s.ok()) return Fail("crypto", s);
    }
    if (chosen.count("throughput") != 0) {
      hub::Status s = add(hub::bench::RunThroughput(*env, options));
      if (!s.ok()) return Fail("throughput", s);
    }
    if (chosen.count("latency") != 0) {
      hub::Status s = add(hub::bench::RunLatency(*env, options));
      if (!s.ok()) return Fail("latency", s);
    }
    if (chosen.count("backlog") != 0 || chosen.count("restart") != 0) {
      hub::Status s = add(hub::bench::RunBacklog(*env, options));
      if (!s.ok()) return Fail("backlog", s);
    }
    std::fprintf(stderr, "sghub-bench: run %d of %d done\n", run + 1, runs);
    report.AddRun(figures);
  }
  // Other work on the machine shows in every figure: say how busy it was.
  report.SetInfo("loadavg_at_end", LoadAverage());
  std::fputs(report.Table().c_str(), json ? stderr : stdout);
  if (json) {
    std::cout << report.Json() << std::endl;
  }
  return 0;
}
