// CodecRegistry maps a codec name to a factory. Registration is explicit (called from main()
// or a test), never through static registrar objects, which static libraries drop silently.
// Not thread-safe while registering; Make() and Names() may be called concurrently once
// registration is done.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/codecs/codec.h"
#include "hub/base/result.h"
#include "hub/base/status.h"

namespace hub::codecs {

class CodecRegistry {
 public:
  using Factory = std::function<CodecPtr()>;

  // Adds `factory` under `name`. AlreadyExists if the name is taken; InvalidArgument for an
  // empty name or an empty factory.
  Status Register(std::string name, Factory factory);

  // A fresh codec for `name`; NotFound (listing the known names) if none is registered.
  Result<CodecPtr> Make(std::string_view name) const;

  // The registered names, sorted.
  std::vector<std::string> Names() const;

 private:
  std::map<std::string, Factory, std::less<>> factories_;
};

// Registers fhir_r4, council_json and police_json. Call it once per registry, from main() or
// a test: a name already taken is a programming error and aborts with HUB_CHECK.
void RegisterBuiltinCodecs(CodecRegistry& registry);

}  // namespace hub::codecs
