#!/usr/bin/env bash
# The systemd units: hardening scored by `systemd-analyze security --offline=true` (issue 6
# asks for an exposure of 2.0 or less), the directives operations rely on, and the adapter
# template's choice of program.
# usage: systemd_units_test.sh SOURCE_DIR
set -euo pipefail
units="$1/deploy/systemd"
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

hub="$units/sghubd.service"
adapter="$units/sghub-adapter@.service"
for directive in Type=notify 'WatchdogSec=30s' 'Restart=on-failure' 'User=sghub' \
                 'StateDirectory=sghub' 'RuntimeDirectory=sghub' 'LimitCORE=0' \
                 'ExecReload=/bin/kill -HUP $MAINPID' 'CapabilityBoundingSet=' \
                 'NoNewPrivileges=yes' 'ProtectSystem=strict' 'MemoryDenyWriteExecute=yes' \
                 'SystemCallFilter=@system-service' 'IPAddressDeny=any'; do
  grep -qxF "$directive" "$hub" || fail "sghubd.service lacks $directive"
done

if command -v systemd-analyze >/dev/null; then
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  cp "$adapter" "$work/sghub-adapter@example.service"
  for unit in "$hub" "$work/sghub-adapter@example.service"; do
    line="$(systemd-analyze security --offline=true "$unit" 2>&1 | grep 'Overall exposure level')"
    exposure="$(sed -n 's/.*: \([0-9.]*\) .*/\1/p' <<<"$line")"
    echo "$(basename "$unit"): exposure $exposure"
    awk -v e="$exposure" 'BEGIN { exit !(e != "" && e <= 2.0) }' ||
      fail "$(basename "$unit") exposure '$exposure' is above 2.0: $line"
  done
else
  echo "systemd-analyze not installed: exposure not measured" >&2
fi

# The adapter template picks /usr/bin/sghub-adapter-$SGHUB_ADAPTER and refuses other names.
# Run its ExecStart shell with systemd's $$ unescaped and echo in place of exec.
script="$(sed -n "s/^ExecStart=\/bin\/sh -c '\(.*\)' sghub-adapter .*/\1/p" "$adapter" |
          sed 's/\$\$/$/g; s/%i/example/g; s/exec "/echo "/')"
[ -n "$script" ] || fail "cannot read the adapter template's ExecStart"
got="$(sh -c "$script" sghub-adapter council /etc/sghub/adapters/example.toml)"
[ "$got" = "/usr/bin/sghub-adapter-council --config /etc/sghub/adapters/example.toml" ] ||
  fail "adapter template runs '$got'"
if sh -c "$script" sghub-adapter '../../tmp/x' /etc/sghub/adapters/example.toml 2>/dev/null; then
  fail "adapter template accepts a program name outside nhs_mh, council, police"
fi
if sh -c "$script" sghub-adapter '' /etc/sghub/adapters/example.toml 2>/dev/null; then
  fail "adapter template accepts an empty SGHUB_ADAPTER"
fi

if [ "$failures" -ne 0 ]; then
  echo "$failures check(s) failed" >&2
  exit 1
fi
echo "unit checks passed"
