#!/usr/bin/env bash
# `cmake --install` puts the service pieces where systemd and the operator
# expect them, with the units pointing at the installed binary:
#   prefix /usr (staged under DESTDIR, as the .deb does): systemd's own
#     directories from pkg-config systemd, /etc/timd/timd.toml;
#   any other prefix: everything under that prefix.
# A second install keeps an operator's edited config.
# usage: service_install_test.sh BUILD_DIR
set -euo pipefail
build=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "$*" >&2; exit 1; }

unit_dir=$(pkg-config --variable=systemdsystemunitdir systemd)
user_unit_dir=$(pkg-config --variable=systemduserunitdir systemd)
sysusers_dir=$(pkg-config --variable=sysusersdir systemd)

# Prefix /usr, staged.
root=$work/root
DESTDIR=$root cmake --install "$build" --prefix /usr >"$work/install.log"
for f in usr/sbin/timd usr/bin/timctl "${unit_dir#/}/timd.service" "${unit_dir#/}/timd.socket" \
         "${unit_dir#/}/timd@.service" "${unit_dir#/}/timd@.socket" "${sysusers_dir#/}/timd.conf" \
         "${user_unit_dir#/}/timd.service" "${user_unit_dir#/}/timd.socket" etc/timd/timd.toml; do
  [[ -e $root/$f ]] || fail "not installed: /$f"
done
grep -qx 'ExecStart=/usr/sbin/timd --config /etc/timd/timd.toml' "$root$unit_dir/timd.service" ||
  fail "timd.service: ExecStart is not the installed /usr/sbin/timd"
grep -qx 'ExecStart=/usr/sbin/timd --config /etc/timd/%i.toml' "$root$unit_dir/timd@.service" ||
  fail "timd@.service: ExecStart is not the installed /usr/sbin/timd with the instance's config"
grep -q "exec /usr/sbin/timd --config" "$root$user_unit_dir/timd.service" ||
  fail "user timd.service does not start the installed /usr/sbin/timd"
grep -qx 'u timd - "timd messaging daemon" /var/lib/timd' "$root$sysusers_dir/timd.conf" ||
  fail "sysusers.d/timd.conf does not create user timd"
cmp -s "$root/etc/timd/timd.toml" "$(dirname "$0")/../../systemd/timd.toml.example" ||
  fail "/etc/timd/timd.toml is not the example config"
[[ $(stat -c %a "$root/etc/timd/timd.toml") == 644 ]] || fail "/etc/timd/timd.toml: mode is not 0644"

# The operator's config survives a reinstall.
echo '# edited by the operator' >>"$root/etc/timd/timd.toml"
DESTDIR=$root cmake --install "$build" --prefix /usr >"$work/reinstall.log"
tail -n1 "$root/etc/timd/timd.toml" | grep -qx '# edited by the operator' || fail "reinstall overwrote /etc/timd/timd.toml"
grep -q "Keeping: $root/etc/timd/timd.toml" "$work/reinstall.log" || fail "reinstall did not say it kept the config"

# Any other prefix: nothing outside it.
prefix=$work/prefix
cmake --install "$build" --prefix "$prefix" >"$work/prefix.log"
for f in "${unit_dir#/}" "${user_unit_dir#/}" "${sysusers_dir#/}"; do
  f=lib/${f#*lib/}
  [[ -d $prefix/$f ]] || fail "not under the prefix: $f"
done
grep -qx "ExecStart=$prefix/sbin/timd --config $prefix/etc/timd/timd.toml" "$prefix/lib/systemd/system/timd.service" ||
  fail "timd.service under $prefix: ExecStart is not $prefix/sbin/timd"
[[ -e $prefix/etc/timd/timd.toml ]] || fail "not installed: $prefix/etc/timd/timd.toml"
echo "service install test passed: $unit_dir, $sysusers_dir, /etc/timd/timd.toml kept on reinstall"
