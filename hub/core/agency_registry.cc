#include "hub/core/agency_registry.h"

namespace hub::core {

AgencyRegistry::AgencyRegistry(std::vector<config::AgencyEntry> agencies)
    : agencies_(std::move(agencies)) {
  for (size_t i = 0; i < agencies_.size(); ++i) {
    by_id_.emplace(agencies_[i].card.id, i);
    by_transport_.emplace(agencies_[i].card.transport.bytes, i);
  }
}

const config::AgencyEntry* AgencyRegistry::Find(std::string_view id) const {
  auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : &agencies_[it->second];
}

const config::AgencyEntry* AgencyRegistry::FindByTransportKey(const wire::PublicKey& key) const {
  auto it = by_transport_.find(key.bytes);
  return it == by_transport_.end() ? nullptr : &agencies_[it->second];
}

}  // namespace hub::core
