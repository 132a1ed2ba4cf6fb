#include "tests/testutil/paths.h"

#include <cstdlib>

namespace hub::testutil {
namespace {

std::filesystem::path FromEnv(const char* name, const char* fallback) {
  const char* value = std::getenv(name);
  return std::filesystem::path(value != nullptr && *value != '\0' ? value : fallback);
}

}  // namespace

std::filesystem::path SourceDir() { return FromEnv("SGHUB_SOURCE_DIR", SGHUB_CONFIGURED_SOURCE_DIR); }

std::filesystem::path BuildDir() { return FromEnv("SGHUB_BUILD_DIR", SGHUB_CONFIGURED_BUILD_DIR); }

std::filesystem::path SharedFixturesDir() {
  return (SourceDir() / ".." / "shared" / "fixtures").lexically_normal();
}

}  // namespace hub::testutil
