#!/usr/bin/env bash
# README command 1: installs what is missing, builds, and runs the main job: a hub with its
# SQLite store and the three agency adapters on loopback, relaying sample alerts.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${SGHUB_BUILD_DIR:-$root/build}

bash "$root/deploy/dev/build.sh"
exec bash "$root/adapters/demo/run_scene.sh" "$build" "$@"
