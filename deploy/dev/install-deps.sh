#!/usr/bin/env bash
# Installs every Debian 12 package sghub needs to build, test and run its demo.
# Idempotent: installs only what is missing, and runs apt-get update only then.
set -euo pipefail

packages=(
  build-essential cmake pkg-config git
  libzmq3-dev cppzmq-dev
  libprotobuf-dev protobuf-compiler
  libsodium-dev libspdlog-dev libfmt-dev
  libsqlite3-dev sqlite3
  libtomlplusplus-dev libcli11-dev nlohmann-json3-dev
  libcpp-httplib-dev libsystemd-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  python3 python3-zmq python3-nacl python3-protobuf
  faketime strace util-linux procps
  clang libclang-rt-14-dev llvm
  systemd dpkg-dev
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: missing packages: ${missing[*]}; run as root to install them" >&2
  exit 1
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
