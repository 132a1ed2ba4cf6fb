#!/usr/bin/env bash
# Fuzzes one target for a while, from its checked-in seeds, without writing to the source tree.
#   run_fuzzer.sh FUZZER_BINARY SEED_CORPUS_DIR SECONDS [extra libFuzzer flags]
# New inputs go to a work corpus beside the binary (<binary>_work/); a crash leaves its input
# as <binary>_artifacts/crash-* and makes this script fail. Long runs: docs/reliability.md.
set -euo pipefail
fuzzer=$1
seeds=$2
seconds=$3
shift 3
work="${fuzzer}_work"
artifacts="${fuzzer}_artifacts/"
mkdir -p "$work" "$artifacts"
exec "$fuzzer" "$work" "$seeds" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
  -max_len=65536 -print_final_stats=1 -artifact_prefix="$artifacts" "$@"
