#include "hub/ctl/metrics_command.h"

#include <iostream>
#include <memory>

#include "hub/ctl/status_client.h"

namespace hub::ctl {
namespace {

struct MetricsOptions {
  std::filesystem::path socket = kDefaultStatusSocket;
};

ExitCode RunMetrics(const MetricsOptions& options) {
  auto answer = QueryStatusSocket(options.socket, "metrics", 5000);
  if (!answer.ok()) {
    std::cerr << "sghubctl metrics: error: " << answer.status().message() << "\n";
    return ExitCode::kError;
  }
  // Exposition text starts with a comment line; the hub's errors are a JSON object.
  if (answer->rfind("# ", 0) != 0) {
    std::cerr << "sghubctl metrics: error: the hub did not answer with metrics: "
              << answer->substr(0, 200) << "\n";
    return ExitCode::kError;
  }
  std::cout << *answer << std::flush;
  return ExitCode::kOk;
}

}  // namespace

void AddMetricsCommand(CLI::App& app, CommandContext& context) {
  auto options = std::make_shared<MetricsOptions>();
  CLI::App* sub = app.add_subcommand("metrics", "The hub's counters and gauges as Prometheus text");
  sub->add_option("--socket", options->socket, "The hub's status socket")->capture_default_str();
  sub->callback([options, &context] { context.exit_code = RunMetrics(*options); });
}

}  // namespace hub::ctl
