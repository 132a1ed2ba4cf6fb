#include "hub/base/logging.h"

#include <cstdio>
#include <mutex>

#include <spdlog/cfg/env.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

namespace hub {
namespace {

const char* ComponentName(Component component) {
  switch (component) {
    case Component::kBroker: return "broker";
    case Component::kStore: return "store";
    case Component::kWire: return "wire";
    case Component::kStatus: return "status";
    case Component::kPolicy: return "policy";
    case Component::kAudit: return "audit";
    case Component::kConfig: return "config";
    case Component::kCtl: return "ctl";
    case Component::kAdapter: return "adapter";
  }
  return "hub";
}

spdlog::logger& GetOrCreate(const std::string& name) {
  // spdlog's registry is the one shared table of loggers; guard the get-or-create race.
  static std::mutex mu;
  std::lock_guard<std::mutex> lock(mu);
  auto logger = spdlog::get(name);
  if (!logger) {
    logger = spdlog::stderr_color_mt(name);
  }
  return *logger;
}

}  // namespace

spdlog::logger& Logger(Component component) { return GetOrCreate(ComponentName(component)); }

spdlog::logger& AdapterLogger(const std::string& name) { return GetOrCreate("adapter." + name); }

void InitLogging(const std::string& program) {
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ [" + program + "/%n] %v");
  spdlog::set_error_handler([](const std::string& msg) {
    std::fprintf(stderr, "logging failed: %s\n", msg.c_str());
  });
  spdlog::cfg::load_env_levels();
}

}  // namespace hub
