#!/usr/bin/env bash
# Builds the .deb with cpack into a temp dir and inspects it with dpkg-deb: the programs,
# the units, the configuration as a conffile, the maintainer scripts and the dependencies.
# usage: package_test.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build="$1"
source="$2"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

for program in hub/daemon/sghubd hub/ctl/sghubctl; do
  [ -x "$build/$program" ] || { echo "FAIL: $build/$program is not built" >&2; exit 1; }
done

(cd "$build" && cpack -G DEB -B "$work" >"$work/cpack.log" 2>&1) || {
  cat "$work/cpack.log" >&2
  echo "FAIL: cpack -G DEB failed" >&2
  exit 1
}
deb="$(ls "$work"/sghub_*.deb)"
echo "package: $(basename "$deb")"

contents="$(dpkg-deb -c "$deb" | awk '{print $6}')"
expect_file() {
  grep -qx "$1" <<<"$contents" || fail "package lacks $1"
}
expect_file ./usr/sbin/sghubd
expect_file ./usr/bin/sghubctl
expect_file ./lib/systemd/system/sghubd.service
expect_file ./lib/systemd/system/sghub-adapter@.service
expect_file ./etc/sghub/sghubd.toml
expect_file ./usr/share/doc/sghub/examples/sghubd.toml.example
for doc in operations security architecture; do
  if [ -f "$source/docs/$doc.md" ]; then expect_file "./usr/share/doc/sghub/$doc.md"; fi
done
for adapter in nhs_mh council police; do
  if [ -x "$build/adapters/$adapter/sghub-adapter-$adapter" ]; then
    expect_file "./usr/bin/sghub-adapter-$adapter"
  fi
done
# Nothing from the build or test tree may leak into the package.
if grep -Eq 'test|bench|\.a$|/include/' <<<"$contents"; then
  fail "package contains test, benchmark or development files: $(grep -E 'test|bench|\.a$|/include/' <<<"$contents" | head -3)"
fi

# The configuration is a conffile: dpkg never silently overwrites an edited copy.
conffiles="$(dpkg-deb -I "$deb" conffiles)"
grep -qx /etc/sghub/sghubd.toml <<<"$conffiles" || fail "conffiles lacks /etc/sghub/sghubd.toml"

postinst="$(dpkg-deb -I "$deb" postinst)"
grep -q 'adduser --system --group' <<<"$postinst" || fail "postinst does not create a system user"
grep -q ' sghub >/dev/null' <<<"$postinst" || fail "postinst does not create the sghub user"
sh -n <(echo "$postinst") || fail "postinst is not valid sh"

depends="$(dpkg-deb -f "$deb" Depends)"
for dep in adduser libzmq5 libsodium23 libsqlite3-0 libsystemd0; do
  grep -q "$dep" <<<"$depends" || fail "Depends lacks $dep: $depends"
done
[ "$(dpkg-deb -f "$deb" Package)" = sghub ] || fail "package name is not sghub"

# The packaged unit keeps core dumps off and runs the packaged program.
dpkg-deb -x "$deb" "$work/root"
unit="$work/root/lib/systemd/system/sghubd.service"
grep -qx 'LimitCORE=0' "$unit" || fail "sghubd.service lacks LimitCORE=0"
exec_start="$(sed -n 's/^ExecStart=\([^ ]*\).*/\1/p' "$unit")"
[ -x "$work/root$exec_start" ] || fail "ExecStart=$exec_start is not in the package"
# The shipped config names the status socket the unit's RuntimeDirectory provides.
grep -q '^status_socket = "/run/sghub/status.sock"' "$work/root/etc/sghub/sghubd.toml" ||
  fail "the shipped config does not use /run/sghub/status.sock"

if [ "$failures" -ne 0 ]; then
  echo "$failures check(s) failed" >&2
  exit 1
fi
echo "package checks passed"
