// sghubd: the safeguarding hub broker daemon. Parses options, then hands over to Daemon.
#include <cstdio>
#include <string>

#include <CLI/CLI.hpp>

#include "hub/config/hub_config.h"
#include "hub/core/daemon.h"
#include "hub/wire/process_init.h"

int main(int argc, char** argv) {
  CLI::App app{"sghubd: secure hub for adult-safeguarding alerts"};
  std::string config_file;
  std::string check_file;
  app.add_option("--config", config_file, "hub configuration (TOML)");
  app.add_option("--check-config", check_file, "validate a configuration file and exit");
  app.require_option(1);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  if (hub::Status ready = hub::wire::InitProcess("sghubd"); !ready.ok()) {
    std::fprintf(stderr, "sghubd: %s\n", ready.message().c_str());
    return 2;
  }
  const std::string& file = check_file.empty() ? config_file : check_file;
  auto config = hub::config::LoadHubConfig(file);
  if (!config.ok()) {
    std::fprintf(stderr, "%s\n", config.status().message().c_str());
    return 2;
  }
  if (!check_file.empty()) {
    std::printf("%s: configuration is valid (%zu agencies)\n", file.c_str(),
                config->agencies.size());
    return 0;
  }
  hub::core::Daemon daemon(std::move(*config));
  return daemon.Run();
}
