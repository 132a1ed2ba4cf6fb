// sghubd: the safeguarding hub broker daemon. Parses options, then hands over to Daemon.
#include <cstdio>
#include <utility>

#include "hub/cfg/config_flags.h"
#include "hub/config/hub_config.h"
#include "hub/core/daemon.h"
#include "hub/wire/process_init.h"

int main(int argc, char** argv) {
  const hub::cfg::ConfigFlags flags = hub::cfg::ParseConfigFlags(
      argc, argv, "sghubd: secure hub for adult-safeguarding alerts", "hub configuration (TOML)");
  if (flags.exit_code) {
    return *flags.exit_code;
  }
  if (hub::Status ready = hub::wire::InitProcess("sghubd"); !ready.ok()) {
    std::fprintf(stderr, "sghubd: %s\n", ready.message().c_str());
    return 2;
  }
  auto config = hub::config::LoadHubConfig(flags.file);
  if (!config.ok()) {
    std::fprintf(stderr, "%s\n", config.status().message().c_str());
    return 2;
  }
  if (flags.check_only) {
    std::printf("%s: configuration is valid (%zu agencies)\n", flags.file.c_str(),
                config->agencies.size());
    return 0;
  }
  hub::core::Daemon daemon(std::move(*config));
  return daemon.Run();
}
