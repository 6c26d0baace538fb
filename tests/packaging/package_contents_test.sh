#!/usr/bin/env bash
# The three packages hold what Debian's split says (dpkg-deb -c), carry
# computed dependencies and the conffile, and lintian reports no error.
# usage: package_contents_test.sh DEB_DIR VERSION LIB_PACKAGE
set -euo pipefail
debs=$1 version=$2 libpkg=$3
fail() { echo "$*" >&2; exit 1; }
if ! command -v lintian >/dev/null; then
  fail "lintian is not installed (Debian package lintian; tools/setup.sh installs it)"
fi
arch=$(dpkg --print-architecture)
timd=$debs/timd_${version}-1_$arch.deb
lib=$debs/${libpkg}_${version}-1_$arch.deb
dev=$debs/libtimclient-dev_${version}-1_$arch.deb
unit_dir=$(pkg-config --variable=systemdsystemunitdir systemd)
user_unit_dir=$(pkg-config --variable=systemduserunitdir systemd)
sysusers_dir=$(pkg-config --variable=sysusersdir systemd)

# has DEB PATH...: each path is in the package (dpkg-deb -c).
has() {
  local deb=$1 listing
  shift
  listing=$(dpkg-deb -c "$deb" | awk '{print $6}')
  for path in "$@"; do
    grep -qx "\./${path#/}" <<<"$listing" || fail "$(basename "$deb") lacks $path"
  done
}
for deb in "$timd" "$lib" "$dev"; do
  [[ -f $deb ]] || fail "not built: $deb"
  echo "== dpkg-deb -c $(basename "$deb")"
  dpkg-deb -c "$deb" | grep -v '/$'
done

has "$timd" /usr/sbin/timd /usr/bin/timctl "$unit_dir/timd.service" "$unit_dir/timd.socket" \
  "$unit_dir/timd@.service" "$unit_dir/timd@.socket" "$user_unit_dir/timd.service" "$user_unit_dir/timd.socket" \
  "$sysusers_dir/timd.conf" /etc/timd/timd.toml \
  /usr/share/man/man8/timd.8.gz /usr/share/man/man1/timctl.1.gz /usr/share/bash-completion/completions/timctl \
  /usr/share/doc/timd/copyright /usr/share/doc/timd/changelog.Debian.gz
has "$lib" "/usr/lib/libtimclient.so.${version%%.*}" "/usr/lib/libtimclient.so.$version" \
  "/usr/share/doc/$libpkg/copyright"
has "$dev" /usr/lib/libtimclient.so /usr/include/timclient/TIMCloud.h /usr/lib/pkgconfig/timclient.pc \
  /usr/lib/cmake/timclient/timclientConfig.cmake /usr/share/doc/libtimclient-dev/copyright
# Each file in exactly one package: the runtime has no .so link, the dev
# package no library proper.
dpkg-deb -c "$lib" | awk '{print $6}' | grep -qx './usr/lib/libtimclient.so' && fail "$libpkg ships the .so link"
dpkg-deb -c "$dev" | awk '{print $6}' | grep -q 'libtimclient.so\.' && fail "libtimclient-dev ships the library"

# Dependencies computed by dpkg-shlibdeps (libc6 is never listed by hand).
for deb in "$timd" "$lib"; do
  depends=$(dpkg-deb -f "$deb" Depends)
  echo "$(basename "$deb") Depends: $depends"
  grep -q 'libc6 (>=' <<<"$depends" || fail "$(basename "$deb"): no computed dependency on libc6"
done
grep -q 'libgrpc++' <<<"$(dpkg-deb -f "$timd" Depends)" || fail "timd: no computed dependency on libgrpc++"
[[ $(dpkg-deb -f "$dev" Depends) == "$libpkg (= $version-1)" ]] || fail "libtimclient-dev does not depend on $libpkg (= $version-1)"
dpkg-deb -I "$timd" conffiles | grep -qx /etc/timd/timd.toml || fail "timd: /etc/timd/timd.toml is not a conffile"
dpkg-deb -I "$lib" shlibs | grep -q "^libtimclient ${version%%.*} $libpkg" || fail "$libpkg has no shlibs file"

echo "== lintian"
report=$(lintian --allow-root --tag-display-limit 0 "$timd" "$lib" "$dev" 2>&1) || true
echo "$report"
grep -q '^E: ' <<<"$report" && fail "lintian reports errors"
echo "lintian: $(grep -c '^E: ' <<<"$report" || true) errors, $(grep -c '^W: ' <<<"$report" || true) warnings"
