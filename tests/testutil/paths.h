// Where the tests find the source tree (fixtures, docs, example files) and the built
// programs. The environment variables win, so a test binary run by hand from elsewhere can
// be pointed at another tree; otherwise the paths CMake configured are used.
#pragma once

#include <filesystem>
#include <string>

namespace hub::testutil {

// $SGHUB_SOURCE_DIR, or the configured source directory.
std::filesystem::path SourceDir();
// $SGHUB_BUILD_DIR, or the configured build directory.
std::filesystem::path BuildDir();
// The shared fixtures folder beside the repository (../shared/fixtures), which CI lays out
// next to the clone.
std::filesystem::path SharedFixturesDir();

}  // namespace hub::testutil
