// RunAdapterMain is the whole main() of an adapter binary:
//
//   int main(int argc, char** argv) {
//     return hub::sdk::RunAdapterMain(argc, argv, {.kind = "nhs_mh", .default_codec = "fhir_r4"});
//   }
//
// It parses `--config FILE` (and `--check-config FILE`), sets up logging (stderr; levels
// from SPDLOG_LEVEL), libsodium and core-dump protection, loads and validates the config
// (exit 2 with every error), builds the codec and the transport from their registries, runs
// until SIGTERM or SIGINT, stops cleanly and exits 0. Exit 1 when the adapter cannot start
// (keys, cards, state directory, port).
#pragma once

#include <functional>
#include <string>

#include "adapters/codecs/codec_registry.h"
#include "adapters/sdk/transport_registry.h"

namespace hub::sdk {

struct AdapterMainSpec {
  std::string kind;           // "nhs_mh", "council", "police": names the binary in messages
  std::string default_codec;  // used when the config has no [codec] name
  // Registers the codecs and transports the binary offers. Empty: the built-in ones
  // (RegisterBuiltinCodecs and RegisterBuiltinTransports).
  std::function<void(codecs::CodecRegistry&, TransportRegistry&)> register_extensions;
};

int RunAdapterMain(int argc, char** argv, const AdapterMainSpec& spec);

}  // namespace hub::sdk
