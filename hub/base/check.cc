#include "hub/base/check.h"

#include <cstdio>
#include <cstdlib>

#include <spdlog/spdlog.h>

namespace hub::internal {

void CheckFailed(const char* file, int line, const char* cond, const char* why) {
  // stderr first: the logger itself may be what is broken.
  std::fprintf(stderr, "%s:%d: check failed: %s (%s)\n", file, line, cond, why);
  std::fflush(stderr);
  spdlog::critical("{}:{}: check failed: {} ({})", file, line, cond, why);
  spdlog::shutdown();
  std::abort();
}

}  // namespace hub::internal
