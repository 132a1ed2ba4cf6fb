#include "adapters/codecs/codec_registry.h"

#include <memory>
#include <utility>

#include "adapters/codecs/council_json_codec.h"
#include "adapters/codecs/fhir_r4_codec.h"
#include "adapters/codecs/police_json_codec.h"
#include "hub/base/check.h"

namespace hub::codecs {

Status CodecRegistry::Register(std::string name, Factory factory) {
  if (name.empty()) {
    return Status::InvalidArgument("codec name is empty");
  }
  if (!factory) {
    return Status::InvalidArgument("codec '" + name + "' has no factory");
  }
  if (factories_.contains(name)) {
    return Status::AlreadyExists("codec '" + name + "' is already registered");
  }
  factories_.emplace(std::move(name), std::move(factory));
  return Status::Ok();
}

Result<CodecPtr> CodecRegistry::Make(std::string_view name) const {
  auto it = factories_.find(name);
  if (it == factories_.end()) {
    std::string known;
    for (const auto& [n, f] : factories_) {
      known += known.empty() ? n : ", " + n;
    }
    return Status::NotFound("no codec named '" + std::string(name) + "' (known: " +
                            (known.empty() ? "none" : known) + ")");
  }
  CodecPtr codec = it->second();
  if (codec == nullptr) {
    return Status::Internal("codec factory '" + std::string(name) + "' returned null");
  }
  return codec;
}

std::vector<std::string> CodecRegistry::Names() const {
  std::vector<std::string> names;
  names.reserve(factories_.size());
  for (const auto& [name, factory] : factories_) {
    names.push_back(name);
  }
  return names;
}

void RegisterBuiltinCodecs(CodecRegistry& registry) {
  auto add = [&registry](std::string name, CodecRegistry::Factory factory) {
    Status s = registry.Register(std::move(name), std::move(factory));
    HUB_CHECK(s.ok(), "RegisterBuiltinCodecs: a builtin codec name is already registered");
  };
  add("fhir_r4", [] { return CodecPtr(std::make_unique<FhirR4Codec>()); });
  add("council_json", [] { return CodecPtr(std::make_unique<CouncilJsonCodec>()); });
  add("police_json", [] { return CodecPtr(std::make_unique<PoliceJsonCodec>()); });
}

}  // namespace hub::codecs
