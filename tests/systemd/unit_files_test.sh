#!/usr/bin/env bash
# The unit files as systemd reads them: `systemd-analyze verify` reports
# nothing for timd.service/.socket and an instance of the templates
# timd@.service/.socket, and `systemd-analyze security` rates both services'
# exposure at most 1.2 while still allowing the netlink socket timd needs.
# Needs no running systemd (offline analysis).
# usage: unit_files_test.sh UNIT_SOURCE_DIR TIMD_BINARY
set -euo pipefail
units=$1 timd=$2
if ! command -v systemd-analyze >/dev/null; then
  echo "SKIP: systemd-analyze is not installed (Debian package systemd)"
  exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# verify insists that ExecStart's program exists: render the units with this
# build's binary.
cmake -DUNIT_SOURCE_DIR="$units" -DUNIT_OUTPUT_DIR="$work" -DTIMD_SBINDIR="$(dirname "$timd")" \
  -DTIMD_CONFDIR=/etc/timd -P "$units/render_units.cmake"
grep -q "^ExecStart=$timd --config /etc/timd/timd.toml$" "$work/timd.service" ||
  { echo "timd.service: ExecStart is not this build's timd" >&2; exit 1; }
grep -q "^ExecStart=$timd --config /etc/timd/%i.toml$" "$work/timd@.service" ||
  { echo "timd@.service: ExecStart does not take the instance's config" >&2; exit 1; }
# An instance of the templates: verify loads it from the template files.
for unit in timd.service timd.socket timd@unittest.service timd@unittest.socket; do
  # --man=no: the manual (Documentation=man:timd(8)) is checked where it is
  # installed (tests/packaging).
  if ! report=$(systemd-analyze verify --man=no "$work/$unit" 2>&1) || [[ -n $report ]]; then
    echo "systemd-analyze verify $unit complains:" >&2
    echo "$report" >&2
    exit 1
  fi
done
echo "systemd-analyze verify: clean (timd.service, timd.socket, timd@unittest.service, timd@unittest.socket)"

# --threshold counts tenths: 12 = exposure 1.2.
for unit in timd.service timd@.service; do
  if ! report=$(systemd-analyze security --offline=true --threshold=12 "$work/$unit" 2>&1); then
    echo "$report" | grep -E '✗|Overall' >&2
    echo "$unit's exposure is above 1.2" >&2
    exit 1
  fi
  # The network monitor (daemon/src/common/network_monitor.cc) needs netlink.
  if ! echo "$report" | grep -q '✗ RestrictAddressFamilies=~AF_NETLINK'; then
    echo "$unit forbids AF_NETLINK sockets: the network monitor cannot work" >&2
    exit 1
  fi
  echo "$unit: $(echo "$report" | grep 'Overall exposure')"
done
