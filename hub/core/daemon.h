// Daemon assembles sghubd from a validated configuration: the hub's keys, the policy, the
// store, the ZAP handler and the CurveZMQ listener, then runs the broker until SIGTERM.
// Start-up problems (bad key file mode, corrupt store, taken endpoint) end Run() with one
// clear line on stderr and exit code 2; see Broker for the codes of a running hub.
#pragma once

#include "hub/config/hub_config.h"

namespace hub::core {

inline constexpr int kExitStartupFailed = 2;

class Daemon {
 public:
  explicit Daemon(config::HubConfig config) : config_(std::move(config)) {}

  // Runs the hub in the calling thread. Returns the process exit code.
  int Run();

 private:
  config::HubConfig config_;
};

}  // namespace hub::core
