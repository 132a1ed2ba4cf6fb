#!/usr/bin/env bash
# Installs what is missing, then configures and builds sghub into build/ (or $SGHUB_BUILD_DIR).
# Extra arguments are passed to the CMake configure step.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${SGHUB_BUILD_DIR:-$root/build}

bash "$root/deploy/dev/install-deps.sh"
mkdir -p "$build"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >"$build/configure.log" 2>&1 \
  || { cat "$build/configure.log"; exit 1; }
cmake --build "$build" -j"$(nproc)"
