#include "adapters/sdk/transport_registry.h"

#include "adapters/sdk/http_transport.h"
#include "adapters/sdk/spool_transport.h"
#include "hub/base/check.h"

namespace hub::sdk {

Status TransportRegistry::Register(std::string name, Factory factory) {
  if (name.empty() || !factory) {
    return Status::InvalidArgument("a transport needs a name and a factory");
  }
  if (!factories_.emplace(name, std::move(factory)).second) {
    return Status::AlreadyExists("transport '" + name + "' is already registered");
  }
  return Status::Ok();
}

Result<TransportPtr> TransportRegistry::Make(std::string_view name,
                                             const AdapterConfig& config) const {
  auto it = factories_.find(name);
  if (it == factories_.end()) {
    std::string known;
    for (const std::string& n : Names()) {
      known += (known.empty() ? "" : ", ") + n;
    }
    return Status::NotFound("unknown transport '" + std::string(name) + "'; known: " + known);
  }
  return it->second(config);
}

std::vector<std::string> TransportRegistry::Names() const {
  std::vector<std::string> names;
  for (const auto& [name, factory] : factories_) {
    names.push_back(name);
  }
  return names;
}

void RegisterBuiltinTransports(TransportRegistry& registry) {
  Status spool =
      registry.Register("spool", [](const AdapterConfig& config) -> Result<TransportPtr> {
        return TransportPtr(std::make_unique<SpoolTransport>(config.spool));
      });
  HUB_CHECK(spool.ok(), "transport 'spool' registered twice");
  Status http = registry.Register("http", [](const AdapterConfig& config) -> Result<TransportPtr> {
    if (config.http.delivery_url.empty()) {
      return Status::InvalidArgument(config.source.string() +
                                     ": transport.http.delivery_url: missing (required)");
    }
    return TransportPtr(std::make_unique<HttpTransport>(config.http));
  });
  HUB_CHECK(http.ok(), "transport 'http' registered twice");
}

}  // namespace hub::sdk
