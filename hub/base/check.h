// HUB_CHECK guards internal invariants. A broken invariant is a bug, not bad input: it logs
// at critical level and aborts, so that systemd restarts the daemon from its durable state.
// Never use it for anything an adapter, a file or the network can cause.
#pragma once

namespace hub::internal {
[[noreturn]] void CheckFailed(const char* file, int line, const char* cond, const char* why);
}  // namespace hub::internal

#define HUB_CHECK(cond, why)                                             \
  do {                                                                   \
    if (!(cond)) [[unlikely]] {                                          \
      ::hub::internal::CheckFailed(__FILE__, __LINE__, #cond, (why));    \
    }                                                                    \
  } while (false)
