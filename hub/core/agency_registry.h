// AgencyRegistry is an immutable snapshot of the registered agencies: who may connect (by
// CurveZMQ transport key), with which signing and sealing keys, and who their escalation
// contact is. A SIGHUP builds a new snapshot; holders swap it whole (RegistryHolder), so the
// ZAP thread and the broker never see a half-updated registry.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "hub/config/hub_config.h"
#include "hub/wire/agency_keys.h"

namespace hub::core {

class AgencyRegistry {
 public:
  explicit AgencyRegistry(std::vector<config::AgencyEntry> agencies);

  // The agency, or nullptr when it is not registered. Revoked agencies are returned (so
  // callers can say "revoked"), and IsAdmitted() says whether they may connect.
  const config::AgencyEntry* Find(std::string_view id) const;
  // The agency owning this transport key, or nullptr.
  const config::AgencyEntry* FindByTransportKey(const wire::PublicKey& key) const;
  static bool IsAdmitted(const config::AgencyEntry* entry) { return entry && !entry->revoked; }

  const std::vector<config::AgencyEntry>& agencies() const { return agencies_; }

 private:
  std::vector<config::AgencyEntry> agencies_;  // constant after construction
  std::map<std::string, size_t, std::less<>> by_id_;
  std::map<std::array<std::byte, 32>, size_t> by_transport_;
};

// Shares the current registry snapshot between threads. shared_ptr because the ZAP thread
// may still be answering a handshake with the old snapshot while the broker installs a new
// one; the old one is freed when the last reader drops it.
class RegistryHolder {
 public:
  explicit RegistryHolder(std::shared_ptr<const AgencyRegistry> initial)
      : current_(std::move(initial)) {}
  std::shared_ptr<const AgencyRegistry> Get() const {
    std::lock_guard<std::mutex> lock(mu_);
    return current_;
  }
  void Set(std::shared_ptr<const AgencyRegistry> next) {
    std::lock_guard<std::mutex> lock(mu_);
    current_ = std::move(next);
  }

 private:
  mutable std::mutex mu_;
  std::shared_ptr<const AgencyRegistry> current_;  // Guarded by mu_.
};

}  // namespace hub::core
