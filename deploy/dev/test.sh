#!/usr/bin/env bash
# README command 2 (and .ci/run): installs what is missing, then runs three stages in order,
# each in its own build directory, and prints one summary line per stage:
#   1. normal   the RelWithDebInfo build and the whole ctest suite (unit, integration, fault
#               short form, deploy, bench smoke)                       -> build/ ($SGHUB_BUILD_DIR)
#   2. asan     the same suite built with ASan+UBSan (HUB_SANITIZE=ON)  -> build-asan/
#   3. fuzz     the libFuzzer targets built with clang, each fuzzed for $SGHUB_FUZZ_SECONDS
#               from its seed corpus (ctest label fuzz)                 -> build-fuzz/
# Exits non-zero if any stage fails; later stages still run so one report shows everything.
# SGHUB_TEST_STAGES="normal asan fuzz" selects stages. docs/reliability.md has long runs.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${SGHUB_BUILD_DIR:-$root/build}
asan_build=${SGHUB_ASAN_BUILD_DIR:-$root/build-asan}
fuzz_build=${SGHUB_FUZZ_BUILD_DIR:-$root/build-fuzz}
stages=${SGHUB_TEST_STAGES:-normal asan fuzz}
fuzz_seconds=${SGHUB_FUZZ_SECONDS:-15}
jobs=$(nproc)

bash "$root/deploy/dev/install-deps.sh" || exit 1

# Under the sanitizers: the Debian package (cpack of an instrumented build means nothing),
# the benchmark smoke run (its throughput floors do not hold at ASan speed) and the
# confinement test (its seccomp allow-list is for the plain binary; ASan's runtime makes
# other system calls) are left out.
asan_exclude_labels='package|bench'
asan_exclude_tests='^confinement_test$'
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:verify_asan_link_order=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

# The instrumented builds use -O1 with line tables only (-g1): enough for symbolised sanitizer
# reports and fuzzer stacks, and about half the compile time of -O2 -g on two cores.
instrumented_flags='-O1 -g1 -DNDEBUG'

declare -a summary
failed=0

run_stage() {  # run_stage NAME COMMAND...
  local name=$1
  shift
  local start=$SECONDS
  echo "=== stage $name: starting"
  if "$@"; then
    summary+=("stage $name: PASSED in $((SECONDS - start)) s")
  else
    summary+=("stage $name: FAILED in $((SECONDS - start)) s")
    failed=1
  fi
}

stage_normal() {
  SGHUB_BUILD_DIR=$build bash "$root/deploy/dev/build.sh" || return 1
  (cd "$build" && ctest --output-on-failure -j"$jobs" --timeout 600)
}

stage_asan() {
  mkdir -p "$asan_build"
  cmake -S "$root" -B "$asan_build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHUB_SANITIZE=ON \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="$instrumented_flags" \
    -DCMAKE_C_FLAGS_RELWITHDEBINFO="$instrumented_flags" -DHUB_BUILD_BENCHMARKS=OFF >"$asan_build/configure.log" 2>&1 \
    || { cat "$asan_build/configure.log"; return 1; }
  cmake --build "$asan_build" -j"$jobs" || return 1
  (cd "$asan_build" && ctest --output-on-failure -j"$jobs" --timeout 900 \
    -LE "$asan_exclude_labels" -E "$asan_exclude_tests")
}

stage_fuzz() {
  mkdir -p "$fuzz_build"
  CC=clang CXX=clang++ cmake -S "$root" -B "$fuzz_build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DHUB_BUILD_FUZZERS=ON -DHUB_SANITIZE=ON -DHUB_BUILD_BENCHMARKS=OFF \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="$instrumented_flags" \
    -DCMAKE_C_FLAGS_RELWITHDEBINFO="$instrumented_flags" \
    -DHUB_FUZZ_SECONDS="$fuzz_seconds" >"$fuzz_build/configure.log" 2>&1 \
    || { cat "$fuzz_build/configure.log"; return 1; }
  local targets
  targets=$(sed -n 's/^hub_add_fuzzer(\([a-z_]*\) .*/\1/p' "$root/tests/fuzz/CMakeLists.txt")
  targets="$targets fhir_r4_fuzz council_json_fuzz police_json_fuzz"
  # shellcheck disable=SC2086
  cmake --build "$fuzz_build" -j"$jobs" --target $targets || return 1
  # One fuzzer per core at a time.
  (cd "$fuzz_build" && ctest --output-on-failure -j"$jobs" -L '^fuzz$')
}

for stage in $stages; do
  case $stage in
    normal) run_stage normal stage_normal ;;
    asan) run_stage asan stage_asan ;;
    fuzz) run_stage fuzz stage_fuzz ;;
    *) echo "unknown stage $stage" >&2; exit 2 ;;
  esac
done

echo "=== summary"
for line in "${summary[@]}"; do
  echo "$line"
done
if [ "$failed" -ne 0 ]; then
  echo "test.sh: FAILED"
  exit 1
fi
echo "test.sh: all stages passed"
