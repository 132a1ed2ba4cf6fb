#include "adapters/sdk/run_adapter_main.h"

#include <signal.h>

#include <cstdio>

#include "adapters/sdk/adapter_config.h"
#include "adapters/sdk/transport_adapter.h"
#include "hub/base/logging.h"
#include "hub/cfg/config_flags.h"
#include "hub/wire/process_init.h"

namespace hub::sdk {

int RunAdapterMain(int argc, char** argv, const AdapterMainSpec& spec) {
  const std::string program = "sghub-adapter-" + spec.kind;
  const cfg::ConfigFlags flags = cfg::ParseConfigFlags(
      argc, argv, program + ": connects this agency's system to the sghub safeguarding hub",
      "adapter configuration (TOML)");
  if (flags.exit_code) {
    return *flags.exit_code;
  }

  // Block the stop signals before any thread starts, so every thread inherits the mask and
  // only sigwait below receives them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  if (Status ready = wire::InitProcess(program); !ready.ok()) {
    std::fprintf(stderr, "%s: %s\n", program.c_str(), ready.message().c_str());
    return 2;
  }
  const std::string& file = flags.file;
  auto config = LoadAdapterConfig(file);
  if (!config.ok()) {
    std::fprintf(stderr, "%s\n", config.status().message().c_str());
    return 2;
  }
  if (config->codec.empty()) {
    config->codec = spec.default_codec;
  }

  codecs::CodecRegistry codecs;
  TransportRegistry transports;
  if (spec.register_extensions) {
    spec.register_extensions(codecs, transports);
  } else {
    codecs::RegisterBuiltinCodecs(codecs);
    RegisterBuiltinTransports(transports);
  }
  auto codec = codecs.Make(config->codec);
  if (!codec.ok()) {
    std::fprintf(stderr, "%s: codec.name: %s\n", file.c_str(), codec.status().message().c_str());
    return 2;
  }
  auto transport = transports.Make(config->transport, *config);
  if (!transport.ok()) {
    std::fprintf(stderr, "%s: transport.name: %s\n", file.c_str(),
                 transport.status().message().c_str());
    return 2;
  }
  if (flags.check_only) {
    std::printf("%s: configuration is valid (codec %s, transport %s)\n", file.c_str(),
                config->codec.c_str(), config->transport.c_str());
    return 0;
  }

  auto& log = AdapterLogger(spec.kind);
  TransportAdapter adapter(std::move(*codec), std::move(*transport));
  Status opened = adapter.Open(*config, program + " " + SGHUB_VERSION_STRING);
  if (!opened.ok()) {
    std::fprintf(stderr, "%s: %s\n", program.c_str(), opened.message().c_str());
    return 1;
  }
  Status started = adapter.Start();
  if (!started.ok()) {
    std::fprintf(stderr, "%s: %s\n", program.c_str(), started.message().c_str());
    adapter.Stop();
    return 1;
  }
  log.info("[agency={}] running: codec {}, transport {}, hub {}", config->agency_id, config->codec,
           config->transport, config->hub_endpoint);
  int signo = 0;
  sigwait(&stop_signals, &signo);
  log.info("[agency={}] signal {} received; stopping", config->agency_id, signo);
  adapter.Stop();
  log.info("[agency={}] stopped", config->agency_id);
  return 0;
}

}  // namespace hub::sdk
