#!/usr/bin/env bash
# Bad input a restart cannot mend: timd refuses to start with one line naming
# the file and the fix and a sysexits.h status, and the units list every such
# status in RestartPreventExitStatus= (no restart loop).
#   - an instance without its config file          -> 78 EX_CONFIG
#   - a password file (the secret) mode 0644        -> 77 EX_NOPERM
#   - a missing credential (LoadCredential= absent) -> 66 EX_NOINPUT
# usage: startup_refusals_test.sh UNIT_SOURCE_DIR TIMD_BINARY
set -euo pipefail
units=$1 timd=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "$*" >&2; exit 1; }

cmake -DUNIT_SOURCE_DIR="$units" -DUNIT_OUTPUT_DIR="$work/units" -DTIMD_SBINDIR=/usr/sbin \
  -DTIMD_CONFDIR=/etc/timd -P "$units/render_units.cmake"
printf '[account]\nuser = "alice"\npassword_file = "%s"\n[xmpp]\ndomain = "example.org"\n' \
  "$work/password" >"$work/open.toml"
printf 'secret\n' >"$work/password"
chmod 0644 "$work/password"
printf '[account]\nuser = "alice"\npassword_file = "password"\n[xmpp]\ndomain = "example.org"\n' >"$work/cred.toml"
mkdir "$work/credentials"

# expect_refusal STATUS FILE_NAMED FIX_TEXT ENV... -- ARGS...: timd exits
# STATUS at once with one line naming FILE_NAMED and FIX_TEXT.
expect_refusal() {
  local status=$1 named=$2 fix=$3 rc=0
  shift 3
  local env=()
  while [[ $1 != -- ]]; do env+=("$1"); shift; done
  shift
  env -i "${env[@]}" timeout 10 "$timd" --state-dir "$work/state" --socket "$work/timd.sock" "$@" \
    >"$work/out" 2>"$work/err" || rc=$?
  [[ $rc == "$status" ]] || { cat "$work/err" >&2; fail "timd $*: exit $rc, expected $status"; }
  [[ $(wc -l <"$work/err") == 1 ]] || { cat "$work/err" >&2; fail "timd $*: not one line"; }
  grep -qF "$named" "$work/err" || fail "timd $*: the message does not name $named: $(cat "$work/err")"
  grep -qF "$fix" "$work/err" || fail "timd $*: the message does not say '$fix': $(cat "$work/err")"
  for unit in timd.service timd@.service; do
    grep -qE "^RestartPreventExitStatus=.*\\b$status\\b" "$work/units/$unit" ||
      fail "$unit would restart timd after exit $status"
  done
  echo "exit $status: $(cat "$work/err")"
}
expect_refusal 78 "$work/work.toml" "write it" -- --config "$work/work.toml"
expect_refusal 77 "$work/password" "chmod 0600 $work/password" -- --config "$work/open.toml"
expect_refusal 66 "$work/credentials/password" "LoadCredential=password:" \
  CREDENTIALS_DIRECTORY="$work/credentials" -- --config "$work/cred.toml"
[[ ! -e $work/state ]] || fail "a refused timd created its state directory"
