// TransportRegistry maps a transport name ("spool", "http") to a factory. Registration is
// explicit, from main() or a test (static registrar objects are dropped silently from static
// libraries). Not thread-safe while registering; Make() may be called concurrently after.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/sdk/adapter_config.h"
#include "adapters/sdk/transport.h"
#include "hub/base/result.h"

namespace hub::sdk {

class TransportRegistry {
 public:
  // Builds a transport from the adapter's configuration. Returns InvalidArgument naming the
  // config key when the settings it needs are missing or wrong.
  using Factory = std::function<Result<TransportPtr>(const AdapterConfig& config)>;

  // AlreadyExists when `name` is taken; InvalidArgument for an empty name or factory.
  Status Register(std::string name, Factory factory);
  // NotFound, listing the registered names, when `name` is unknown.
  Result<TransportPtr> Make(std::string_view name, const AdapterConfig& config) const;
  std::vector<std::string> Names() const;

 private:
  std::map<std::string, Factory, std::less<>> factories_;
};

// Registers "spool" and "http". A name already taken is a programming error (HUB_CHECK).
void RegisterBuiltinTransports(TransportRegistry& registry);

}  // namespace hub::sdk
