// StatusCollector copies what the status socket reports out of the running hub -- the
// broker's counters and connections, the registry, the store's queues and audit head -- into
// a StatusSnapshot. It reads broker and store state without locks, so Collect() must run on
// the broker thread (the status server calls it from Broker::Hooks::on_fd_readable).
#pragma once

#include <cstdint>
#include <string>

#include "hub/base/clock.h"
#include "hub/config/hub_config.h"
#include "hub/core/agency_registry.h"
#include "hub/core/broker.h"
#include "hub/core/status_snapshot.h"
#include "hub/store/message_store.h"

namespace hub::core {

class StatusCollector {
 public:
  // All references must outlive the collector. `version` is sghubd's version string.
  StatusCollector(const config::HubConfig& config, Broker& broker, const RegistryHolder& registry,
                  store::MessageStore& store, const Clock& clock, std::string version);

  // A snapshot as of now. Store read errors are logged and leave the affected fields empty
  // (the rest of the snapshot is still worth showing); never throws.
  StatusSnapshot Collect() const;

  // At most this many overdue alerts are listed (oldest first).
  static constexpr int kMaxOverdueListed = 200;

 private:
  // Constant after construction.
  const config::HubConfig& config_;
  Broker& broker_;  // Overdue() reads the store, so not const
  const RegistryHolder& registry_;
  store::MessageStore& store_;
  const Clock& clock_;
  const std::string version_;
  const int64_t started_ms_;
  const int64_t started_mono_ms_;
};

}  // namespace hub::core
