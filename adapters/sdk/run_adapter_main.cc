#include "adapters/sdk/run_adapter_main.h"

#include <signal.h>

#include <CLI/CLI.hpp>
#include <cstdio>

#include "adapters/sdk/adapter_config.h"
#include "adapters/sdk/transport_adapter.h"
#include "hub/base/logging.h"
#include "hub/wire/process_init.h"

namespace hub::sdk {

int RunAdapterMain(int argc, char** argv, const AdapterMainSpec& spec) {
  const std::string program = "sghub-adapter-" + spec.kind;
  CLI::App app{program + ": connects this agency's system to the sghub safeguarding hub"};
  std::string config_file;
  std::string check_file;
  app.add_option("--config", config_file, "adapter configuration (TOML)");
  app.add_option("--check-config", check_file, "validate a configuration file and exit");
  app.require_option(1);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
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
  const std::string& file = check_file.empty() ? config_file : check_file;
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
  if (!check_file.empty()) {
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
