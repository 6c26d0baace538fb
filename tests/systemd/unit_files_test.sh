#!/usr/bin/env bash
# The unit files as systemd reads them: `systemd-analyze verify` reports
# nothing, and `systemd-analyze security` rates timd.service's exposure at
# most 1.2 while still allowing the netlink socket timd needs. Needs no
# running systemd (offline analysis).
# usage: unit_files_test.sh UNIT_DIR TIMD_BINARY
set -euo pipefail
units=$1 timd=$2
if ! command -v systemd-analyze >/dev/null; then
  echo "SKIP: systemd-analyze is not installed (Debian package systemd)"
  exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# verify insists that ExecStart's program exists: point it at this build's.
cp "$units/timd.service" "$units/timd.socket" "$work/"
sed -i "s|^ExecStart=/usr/local/bin/timd |ExecStart=$timd |" "$work/timd.service"
grep -q "^ExecStart=$timd " "$work/timd.service" || { echo "no ExecStart=/usr/local/bin/timd to rewrite" >&2; exit 1; }
if ! report=$(systemd-analyze verify "$work/timd.service" "$work/timd.socket" 2>&1) || [[ -n $report ]]; then
  echo "systemd-analyze verify complains:" >&2
  echo "$report" >&2
  exit 1
fi
echo "systemd-analyze verify: clean"

# --threshold counts tenths: 12 = exposure 1.2.
if ! report=$(systemd-analyze security --offline=true --threshold=12 "$units/timd.service" 2>&1); then
  echo "$report" | grep -E '✗|Overall' >&2
  echo "timd.service's exposure is above 1.2" >&2
  exit 1
fi
# The network monitor (daemon/src/common/network_monitor.cc) needs netlink.
if ! echo "$report" | grep -q '✗ RestrictAddressFamilies=~AF_NETLINK'; then
  echo "timd.service forbids AF_NETLINK sockets: the network monitor cannot work" >&2
  exit 1
fi
echo "$report" | grep 'Overall exposure'
