// One named spdlog logger per component. Log ids and key fingerprints only: never keys,
// plaintext bodies, names, NHS numbers or any other personal data.
#pragma once

#include <string>

#include <spdlog/logger.h>

namespace hub {

enum class Component { kBroker, kStore, kWire, kStatus, kPolicy, kAudit, kConfig, kCtl, kAdapter };

// Returns the component's logger, creating it on first use. Thread-safe.
spdlog::logger& Logger(Component component);

// Returns the logger named "adapter.<name>". Thread-safe.
spdlog::logger& AdapterLogger(const std::string& name);

// Sets up logging for a program: stderr sink, the pattern, levels from SPDLOG_LEVEL, and an
// error handler so that a broken sink never throws into the caller. Call once from main().
void InitLogging(const std::string& program);

}  // namespace hub
