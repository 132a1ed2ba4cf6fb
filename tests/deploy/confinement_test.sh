#!/usr/bin/env bash
# Runs the real sghubd under what of sghubd.service can be reproduced without systemd as
# PID 1 (this is how the CI sandbox runs; on a systemd host prefer `systemctl start`):
#
#  A. System calls: the integration tests run with sghubd under strace; every system call it
#     makes must be allowed by the unit's SystemCallFilter= lines (read from
#     deploy/systemd/sghubd.service, groups expanded by systemd-analyze), every socket family
#     by its RestrictAddressFamilies=, and it must never ask for memory that is both
#     writable and executable (MemoryDenyWriteExecute=). Part B's run is traced as well.
#  B. Privileges and file system: sghubd runs as an unprivileged uid with no capabilities,
#     no_new_privs and umask 0077 (setpriv), in a mount namespace where / is read-only except
#     its state and runtime directories and /tmp, /home, /root are empty (unshare), i.e.
#     User=, CapabilityBoundingSet=, NoNewPrivileges=, UMask=, ProtectSystem=strict,
#     PrivateTmp=, ProtectHome=. It must start, serve status, reload on SIGHUP and stop
#     cleanly on SIGTERM.
#
# usage: confinement_test.sh BUILD_DIR SOURCE_DIR      exit 77: skipped (needs root, tools)
set -euo pipefail
build="$(cd "$1" && pwd)"
source="$2"
for tool in strace setpriv unshare systemd-analyze python3; do
  command -v "$tool" >/dev/null || { echo "SKIP: $tool not installed"; exit 77; }
done
[ "$(id -u)" -eq 0 ] || { echo "SKIP: needs root for setpriv and mount namespaces"; exit 77; }
sghubd="$build/hub/daemon/sghubd"
sghubctl="$build/hub/ctl/sghubctl"
[ -x "$sghubd" ] && [ -x "$sghubctl" ] || { echo "FAIL: build sghubd and sghubctl first"; exit 1; }

work="$(mktemp -d -p "$build" confinement.XXXXXX)"
cleanup() {
  [ -n "${hub_pid:-}" ] && kill -9 "$hub_pid" 2>/dev/null || true
  [ -n "${KEEP_WORK:-}" ] && echo "kept $work" || rm -rf "$work"
}
trap cleanup EXIT
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

# --- A. system calls -----------------------------------------------------------------------
# A build dir whose sghubd is a wrapper that traces the real one; the tests find programs
# through SGHUB_BUILD_DIR.
fake="$work/build"
mkdir -p "$fake/hub/daemon" "$fake/hub/ctl" "$work/traces"
ln -s "$sghubctl" "$fake/hub/ctl/sghubctl"
# strace attaches to the wrapper, which then execs sghubd: the pid the tests signal is
# sghubd's own, so SIGTERM and SIGHUP reach it as they would from systemd.
cat >"$fake/hub/daemon/sghubd" <<WRAP
#!/bin/sh
strace -ff -qq -o "$work/traces/trace" -p \$\$ 2>/dev/null &
while ! grep -q '^TracerPid:[[:space:]]*[1-9]' /proc/\$\$/status; do sleep 0.01; done
exec "$sghubd" "\$@"
WRAP
chmod +x "$fake/hub/daemon/sghubd"
for test in tests/integration/accept_path_test tests/integration/expiry_test \
            tests/integration/status_socket_test tests/integration/sd_notify_test; do
  if [ -x "$build/$test" ]; then
    SGHUB_BUILD_DIR="$fake" "$build/$test" >"$work/test.log" 2>&1 ||
      { tail -30 "$work/test.log" >&2; fail "$test failed under strace"; }
  fi
done
ls "$work/traces"/trace.* >/dev/null 2>&1 || fail "no traces were written"

systemd-analyze syscall-filter >"$work/groups.txt"
# check_traces DIR AS_ROOT: the traces in DIR against the unit's filter, read from the unit.
cat >"$work/check.py" <<'PY'
import glob, re, sys
groups_file, unit_file, trace_dir, as_root = sys.argv[1:5]
groups, current = {}, None
for line in open(groups_file):
    line = line.rstrip()
    if line.startswith("@"):
        current = line.split()[0]; groups[current] = []
    elif current and line.strip() and not line.strip().startswith("#"):
        groups[current].append(line.strip())
def expand(name, seen=()):
    if not name.startswith("@"):
        return {name}
    out = set()
    for member in groups.get(name, []):
        if member not in seen:
            out |= expand(member, seen + (name,))
    return out
# SystemCallFilter= lines in order: the first (an allow list) sets, "~" lines remove, later
# plain lines add back -- systemd's own semantics for an allow-list filter.
allowed = None
for line in open(unit_file):
    if not line.startswith("SystemCallFilter="):
        continue
    value = line.split("=", 1)[1].strip()
    deny = value.startswith("~")
    names = set().union(*(expand(n) for n in value.lstrip("~").split()))
    if allowed is None:
        allowed = names
    elif deny:
        allowed -= names
    else:
        allowed |= names
used, families, wx = {}, set(), []
call = re.compile(r"^(?:\d+\s+)?([a-z0-9_]+)\(")
for path in glob.glob(trace_dir + "/trace.*"):
    for line in open(path, errors="replace"):
        m = call.match(line)
        if not m:
            continue
        name = m.group(1)
        used[name] = used.get(name, 0) + 1
        if name == "socket":
            families.add(line.split("(", 1)[1].split(",", 1)[0])
        if name in ("mmap", "mprotect", "pkey_mprotect") and "PROT_EXEC" in line:
            if "PROT_WRITE" in line or name != "mmap":
                wx.append(line.strip())
# The exec of the program itself happens before systemd applies the filter. SQLite fchowns
# its WAL to the database's owner only when running as root (the test suites run as root;
# the unit never does).
exempt = {"execve"} | ({"fchown"} if as_root == "1" else set())
denied = sorted(n for n in used if n not in allowed and n not in exempt)
print(f"{trace_dir}: {len(used)} distinct system calls, {sum(used.values())} calls; "
      f"socket families {sorted(families)}")
bad = False
if not used:
    print("FAIL: no system calls traced"); bad = True
if denied:
    print("FAIL: system calls outside SystemCallFilter=:", ", ".join(denied)); bad = True
permitted = set()
for line in open(unit_file):
    if line.startswith("RestrictAddressFamilies="):
        permitted |= set(line.split("=", 1)[1].split())
extra = families - permitted
if extra:
    print("FAIL: socket families outside RestrictAddressFamilies=:", sorted(extra)); bad = True
if wx:
    print("FAIL: writable+executable or exec-mprotect memory:", wx[:3]); bad = True
sys.exit(1 if bad else 0)
PY
check_traces() {
  python3 "$work/check.py" "$work/groups.txt" "$source/deploy/systemd/sghubd.service" "$1" "$2" ||
    failures=$((failures + 1))
}
check_traces "$work/traces" 1

# --- B. unprivileged, read-only system --------------------------------------------------------
uid=64123
port=$((20000 + RANDOM % 20000))
mkdir -p "$work/etc" "$work/data" "$work/run" "$work/run/traces"
"$sghubctl" keygen --agency hub --kind hub --out "$work/etc" >/dev/null
"$sghubctl" keygen --agency council-a --kind council --out "$work/etc" >/dev/null
cat >"$work/etc/sghubd.toml" <<TOML
[hub]
listen = "tcp://127.0.0.1:$port"
status_socket = "$work/run/status.sock"
data_dir = "$work/data"
key_file = "$work/etc/hub.key"
[[agency]]
id = "council-a"
card = "council-a.card.toml"
TOML
chown "$uid:$uid" "$work/etc/hub.key" "$work/data" "$work/run" "$work/run/traces"
chmod 0700 "$work/data"
chmod 0750 "$work/run"
chmod 0755 "$work" "$work/etc"
chmod 0644 "$work/etc/sghubd.toml" "$work/etc/council-a.card.toml"

unshare --mount --fork -- sh -c '
  set -e
  mount --make-rprivate /
  mount --bind "$1/data" "$1/data"
  mount --bind "$1/run" "$1/run"
  mount -o remount,bind,ro /
  # Hide the usual writable places, except one that holds the build tree itself (a CI
  # clone may live under /tmp): the hub must still be able to exec its binary.
  for d in /tmp /var/tmp /home /root; do
    case "$3/" in "$d"/*) continue ;; esac
    case "$1/" in "$d"/*) continue ;; esac
    if [ -d "$d" ]; then mount -t tmpfs -o mode=1777 tmpfs "$d"; fi
  done
  exec setpriv --reuid="$2" --regid="$2" --clear-groups --no-new-privs \
    --inh-caps=-all --ambient-caps=-all --bounding-set=-all \
    sh -c "umask 0077; exec strace -ff -qq -o \"\$2/trace\" \"\$0\" --config \"\$1\"" \
    "$3" "$1/etc/sghubd.toml" "$1/run/traces"
' confined "$work" "$uid" "$sghubd" >"$work/hub.log" 2>&1 &
hub_pid=$!

for _ in $(seq 1 200); do
  [ -S "$work/run/status.sock" ] && break
  kill -0 "$hub_pid" 2>/dev/null || break
  sleep 0.05
done
if [ ! -S "$work/run/status.sock" ]; then
  cat "$work/hub.log" >&2
  fail "confined sghubd did not start"
else
  set +e
  answer="$("$sghubctl" status --json --socket "$work/run/status.sock")"
  code=$?
  set -e
  [ "$code" -le 1 ] || fail "sghubctl status against the confined hub exited $code"
  grep -q '"hub_id": "hub"' <<<"$answer" || fail "confined hub's status lacks hub_id"
  [ "$(stat -c '%a %u' "$work/run/status.sock")" = "660 $uid" ] ||
    fail "status socket is $(stat -c '%a %u' "$work/run/status.sock"), want 660 owned by $uid"
  [ "$(stat -c '%a' "$work/data/sghub.db")" = 600 ] ||
    fail "store file mode is $(stat -c '%a' "$work/data/sghub.db"), want 600 (UMask=0077)"
  # The hub's process really is unprivileged (the sh and setpriv exec into it).
  daemon_pid="$(pgrep -u "$uid" -x sghubd | head -1)"
  if [ -n "$daemon_pid" ]; then
    grep -q "^CapEff:\s*0000000000000000" "/proc/$daemon_pid/status" || fail "sghubd has capabilities"
    grep -q "^NoNewPrivs:\s*1" "/proc/$daemon_pid/status" || fail "sghubd lacks no_new_privs"
    kill -HUP "$daemon_pid"
    sleep 0.3
    grep -q "registry reloaded" "$work/hub.log" || fail "SIGHUP reload did not happen"
    kill -TERM "$daemon_pid"
  else
    fail "cannot find the confined sghubd process"
    kill -TERM "$hub_pid"
  fi
  set +e
  wait "$hub_pid"
  code=$?
  set -e
  hub_pid=""
  [ "$code" -eq 0 ] || { cat "$work/hub.log" >&2; fail "confined sghubd exited $code on SIGTERM"; }
  check_traces "$work/run/traces" 0
fi

if [ "$failures" -ne 0 ]; then
  echo "$failures check(s) failed" >&2
  exit 1
fi
echo "confinement checks passed"
