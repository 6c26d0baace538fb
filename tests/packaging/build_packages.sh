#!/usr/bin/env bash
# Builds the Debian packages from the already built tree (no second build):
# cpack stages, strips and runs dpkg-shlibdeps in OUT_DIR.
# usage: build_packages.sh BUILD_DIR OUT_DIR
set -euo pipefail
build=$1 out=$2
rm -rf "$out"
mkdir -p "$out"
if ! cpack --config "$build/CPackConfig.cmake" -B "$out" >"$out/cpack.log" 2>&1; then
  cat "$out/cpack.log" >&2
  exit 1
fi
rm -rf "$out/_CPack_Packages"
ls -l "$out"/*.deb
