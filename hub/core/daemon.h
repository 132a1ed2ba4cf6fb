// Daemon assembles sghubd from a validated configuration: the hub's keys, the policy, the
// store, the ZAP handler and the CurveZMQ listener, then runs the broker until SIGTERM.
// Start-up problems (bad key file mode, corrupt store, taken endpoint) end Run() with one
// clear line on stderr and exit code 2; see Broker for the codes of a running hub.
#pragma once

#include "hub/base/clock.h"
#include "hub/config/hub_config.h"

namespace hub::core {

inline constexpr int kExitStartupFailed = 2;

class Daemon {
 public:
  // `clock`, when given, is the hub's only time source (tests drive deadlines with a
  // FakeClock); it must outlive Run(). nullptr: the system clock.
  explicit Daemon(config::HubConfig config, const Clock* clock = nullptr)
      : config_(std::move(config)), clock_(clock) {}

  // Runs the hub in the calling thread. Returns the process exit code. Stops on SIGTERM or
  // SIGINT, which it blocks in the calling thread and reads from a signalfd: a test that
  // runs it on a thread stops it with pthread_kill(thread, SIGTERM).
  int Run();

 private:
  config::HubConfig config_;
  const Clock* clock_;  // not owned; nullptr: SystemClock
};

}  // namespace hub::core
