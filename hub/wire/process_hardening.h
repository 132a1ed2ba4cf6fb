// Process-wide protections for programs that hold secret keys.
#pragma once

#include "hub/base/status.h"

namespace hub::wire {

// Stops the process from ever writing a core dump (RLIMIT_CORE = 0) and marks it
// non-dumpable (PR_SET_DUMPABLE = 0, which also blocks ptrace by other users), so secret
// keys cannot leak through a crash. Call early in main(), before loading keys.
// Returns IOError naming the call that failed.
Status DisableCoreDumps();

}  // namespace hub::wire
