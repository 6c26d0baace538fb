#!/usr/bin/env bash
# The user units (systemctl --user): `systemd-analyze --user verify` is clean,
# and timd started the way they start it (socket activation on
# $XDG_RUNTIME_DIR/timd/timd.sock, ExecStart's own command line with %E and
# $$ expanded as systemd expands them) keeps its store under $XDG_STATE_HOME
# and answers timctl on that socket.
# usage: user_unit_test.sh UNIT_SOURCE_DIR TIMD_BINARY TIMCTL_BINARY
set -euo pipefail
units=$1 timd=$2 timctl=$3
# shellcheck source=../support/scratch_dir.sh
source "$(dirname "$0")/../support/scratch_dir.sh"

cmake -DUNIT_SOURCE_DIR="$units" -DUNIT_OUTPUT_DIR="$work/units" -DTIMD_SBINDIR="$(dirname "$timd")" \
  -DTIMD_CONFDIR=/etc/timd -P "$units/render_units.cmake"
mkdir -m 0700 "$work/xdg-run"
# A user manager needs $XDG_RUNTIME_DIR, even offline.
if ! report=$(XDG_RUNTIME_DIR=$work/xdg-run systemd-analyze --user verify --man=no \
    "$work/units/user/timd.service" "$work/units/user/timd.socket" 2>&1) || [[ -n $report ]]; then
  echo "$report" >&2
  fail "systemd-analyze --user verify complains"
fi
echo "systemd-analyze --user verify: clean (user timd.service, timd.socket)"

# %t and %E as a user manager expands them; $$ is a literal $.
listen=$(sed -n 's/^ListenStream=//p' "$work/units/user/timd.socket")
[[ $listen == %t/timd/timd.sock ]] || fail "user timd.socket: ListenStream=$listen"
socket=$work/xdg-run/timd/timd.sock
mkdir -m 0700 "$work/xdg-run/timd"
exec_start=$(sed -n 's/^ExecStart=//p' "$work/units/user/timd.service")
script=$(sed -e "s/^\/bin\/sh -c '//" -e "s/'\$//" -e "s|%E|$work/config|g" -e 's/\$\$/$/g' <<<"$exec_start")
mkdir -p "$work/config/timd" "$work/home"
printf '[xmpp]\ndomain = "example.org"\n' >"$work/config/timd/timd.toml"
systemd-socket-activate --listen="$socket" --setenv=HOME="$work/home" --setenv=XDG_STATE_HOME="$work/state" \
  /bin/sh -c "$script" >"$work/timd.log" 2>&1 &
timd_pid=$!
for _ in $(seq 100); do [[ -S $socket ]] && break; sleep 0.1; done
[[ -S $socket ]] || { cat "$work/timd.log" >&2; fail "no socket at $socket"; }
status=$(TIMD_SOCKET=$socket "$timctl" --json --timeout 20 status) ||
  { cat "$work/timd.log" >&2; fail "timctl did not reach the user-unit timd"; }
echo "timctl status: $status"
[[ -f $work/state/timd/timd.db ]] || { cat "$work/timd.log" >&2; fail "no store under \$XDG_STATE_HOME/timd"; }
[[ $(stat -c %a "$work/state/timd") == 700 ]] || fail "\$XDG_STATE_HOME/timd is not mode 0700"
echo "store: \$XDG_STATE_HOME/timd/timd.db"
