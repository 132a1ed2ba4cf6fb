#!/usr/bin/env bash
# README command 2: installs what is missing, builds, and runs the whole test suite.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${SGHUB_BUILD_DIR:-$root/build}

bash "$root/deploy/dev/build.sh"
cd "$build"
ctest --output-on-failure -j"$(nproc)" --timeout 600
