// libsodium must be initialised before any other call into it (it picks the fastest
// implementations and sets up the guarded-page allocator used by SecretKey).
#pragma once

#include "hub/base/status.h"

namespace hub::wire {

// Initialises libsodium. Safe to call any number of times from any thread: the first call
// does the work, later calls return its outcome. Returns Internal when libsodium cannot
// initialise (e.g. no entropy source), in which case no crypto may be used.
Status InitCrypto();

}  // namespace hub::wire
