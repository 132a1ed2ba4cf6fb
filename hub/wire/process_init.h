// InitProcess prepares any sghub program (sghubd, sghubctl, the adapters) before it does
// anything else: logging (levels from SPDLOG_LEVEL), protobuf's own diagnostics routed into
// that logging instead of raw stderr, libsodium, and no core dumps (a core file would hold
// key material and alert plaintext). Call it once, first, from main().
#pragma once

#include <string>

#include "hub/base/status.h"

namespace hub::wire {

// Returns an error naming what failed; the program should print it and exit 2.
Status InitProcess(const std::string& program);

}  // namespace hub::wire
