#!/usr/bin/env bash
# The installed packages, unpacked into a scratch root (dpkg -x), work as
# systemd would use them, with no systemd running:
#   - systemd-sysusers --root creates user and group timd from sysusers.d;
#   - systemd-analyze verify accepts the units at their installed paths
#     (ExecStart's binary, the manual of Documentation=);
#   - systemd-analyze security rates timd.service and timd@.service <= 1.2;
#   - the template's instance resolves to its own config, state and socket;
#   - timd started the way timd@scratch.socket would start it (socket
#     activation on the instance's socket path, relocated into the scratch
#     directory) answers `timctl --instance scratch`, and an app built against
#     the installed libtimclient-dev with TIMInit {"timd_instance":"scratch"}.
# usage: scratch_root_test.sh DEB_DIR
set -euo pipefail
debs=$1
# shellcheck source=../support/scratch_dir.sh
source "$(dirname "$0")/../support/scratch_dir.sh"
root=$work/root
for deb in "$debs"/*.deb; do dpkg -x "$deb" "$root"; done
unit_dir=$(pkg-config --variable=systemdsystemunitdir systemd)
units=$root$unit_dir

# The account (what the postinst runs, against the scratch root).
systemd-sysusers --root="$root" >"$work/sysusers.log" 2>&1 || { cat "$work/sysusers.log" >&2; exit 1; }
grep -q '^timd:x:[0-9]*:[0-9]*:timd messaging daemon:/var/lib/timd:' "$root/etc/passwd" ||
  fail "systemd-sysusers --root did not create user timd"
grep -q '^timd:x:' "$root/etc/group" || fail "systemd-sysusers --root did not create group timd"
echo "systemd-sysusers --root: $(grep '^timd:' "$root/etc/passwd")"

# verify, with the installed binary and manuals. The root has no systemd
# package: systemd's own targets and slices come from this machine.
cp -n /lib/systemd/system/*.target /lib/systemd/system/*.slice "$units/"
for unit in timd.service timd.socket timd@scratch.service timd@scratch.socket; do
  if ! report=$(MANPATH=$root/usr/share/man systemd-analyze verify --root="$root" "$unit" 2>&1) ||
     [[ -n $report ]]; then
    echo "systemd-analyze verify --root $unit complains:" >&2
    echo "$report" >&2
    exit 1
  fi
done
echo "systemd-analyze verify --root: clean (timd.service, timd.socket, timd@scratch.service, timd@scratch.socket)"
for unit in timd.service timd@.service; do
  report=$(systemd-analyze security --offline=true --root="$root" --threshold=12 "$unit" 2>&1) ||
    { echo "$report" | grep -E '✗|Overall' >&2; fail "$unit: exposure above 1.2"; }
  echo "$unit: $(grep 'Overall exposure' <<<"$report")"
done

# The instance "scratch": %i as systemd expands it in these settings.
instance() { sed -n "s/^$2=//p" "$units/$1" | sed 's/%i/scratch/g'; }
exec_start=$(instance timd@.service ExecStart)
[[ $exec_start == "/usr/sbin/timd --config /etc/timd/scratch.toml" ]] || fail "timd@scratch: ExecStart=$exec_start"
[[ $(instance timd@.service StateDirectory) == timd/scratch ]] || fail "timd@scratch: state is not /var/lib/timd/scratch"
listen=$(instance timd@.socket ListenStream)
[[ $listen == /run/timd/scratch.sock ]] || fail "timd@scratch.socket: ListenStream=$listen"
echo "timd@scratch: ExecStart=$exec_start, StateDirectory=/var/lib/timd/scratch, ListenStream=$listen"

# Start it as the units would, with /run, /var/lib and /etc relocated into
# the scratch directory: the instance's config, its own state directory, the
# socket passed by socket activation.
mkdir -p "$work/run/timd" "$work/state/timd/scratch"
sed 's/^user = .*/# user = "alice"/; s/^password_file = .*//' "$root/etc/timd/timd.toml" >"$root/etc/timd/scratch.toml"
socket=$work/run/timd/scratch.sock
read -r -a argv <<<"${exec_start//\/etc\/timd/$root/etc/timd}"
argv[0]=$root${argv[0]}
# systemd-socket-activate passes on only what --setenv names.
systemd-socket-activate --listen="$socket" --setenv=STATE_DIRECTORY="$work/state/timd/scratch" \
  --setenv=RUNTIME_DIRECTORY="$work/run/timd" "${argv[@]}" >"$work/timd.log" 2>&1 &
timd_pid=$!
for _ in $(seq 100); do [[ -S $socket ]] && break; sleep 0.1; done
[[ -S $socket ]] || { cat "$work/timd.log" >&2; fail "no socket at $socket"; }
status=$(TIMD_RUNTIME_DIR=$work/run/timd "$root/usr/bin/timctl" --instance scratch --json --timeout 20 status) ||
  { cat "$work/timd.log" >&2; fail "timctl --instance scratch did not reach timd"; }
echo "timctl --instance scratch status: $status"
[[ -f $work/state/timd/scratch/timd.db ]] || fail "timd@scratch has no store in its state directory"
echo "state directory: $(ls "$work/state/timd/scratch" | tr '\n' ' ')"

# An app built against the installed libtimclient-dev (pkg-config) finds the
# instance by name.
export PKG_CONFIG_PATH=$root/usr/lib/pkgconfig
# shellcheck disable=SC2046
cc -std=c99 -D_POSIX_C_SOURCE=200809L -Wall -Werror -o "$work/instance_app" "$(dirname "$0")/instance_app.c" \
  $(pkg-config --cflags --libs timclient) -lpthread
answer=$(TIMD_RUNTIME_DIR=$work/run/timd LD_LIBRARY_PATH=$root/usr/lib "$work/instance_app" scratch) ||
  fail "the instance app failed"
echo "app with {\"timd_instance\":\"scratch\"}: $answer"
# timd's own answer (its domain refuses the call before a login; an
# unreachable timd would be 9508, "timd unreachable at PATH").
[[ $answer == "code 6014: not logged in" ]] || fail "libtimclient did not reach timd@scratch by its instance name"
