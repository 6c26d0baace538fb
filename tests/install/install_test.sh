#!/usr/bin/env bash
# `cmake --install` into a temporary prefix, then build a C program against
# it the two documented ways (pkg-config, CMake find_package) and run both.
# usage: install_test.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$1 src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
prefix=$work/prefix

cmake --install "$build" --prefix "$prefix" >"$work/install.log"
libdir=$(dirname "$(find "$prefix" -name 'libtimclient.so' | head -n1)")
for f in sbin/timd bin/timctl include/timclient/TIMCloud.h include/timclient/TIMManager.h; do
  [[ -e $prefix/$f ]] || { echo "not installed: $f" >&2; exit 1; }
done
[[ -e $libdir/pkgconfig/timclient.pc ]] || { echo "not installed: timclient.pc" >&2; exit 1; }
[[ -e $libdir/cmake/timclient/timclientConfig.cmake ]] || { echo "not installed: timclientConfig.cmake" >&2; exit 1; }
"$prefix/bin/timctl" --help >/dev/null
"$prefix/sbin/timd" --help >/dev/null

# pkg-config
export PKG_CONFIG_PATH=$libdir/pkgconfig
# shellcheck disable=SC2046
cc -std=c99 -Wall -Werror -o "$work/consumer-pc" "$src/consumer.c" $(pkg-config --cflags --libs timclient)
LD_LIBRARY_PATH=$libdir "$work/consumer-pc" | grep -q '^timclient '

# CMake find_package
mkdir -p "$work/cm"
cp "$src/consumer.c" "$work/cm/"
cp "$src/CMakeLists.consumer.txt" "$work/cm/CMakeLists.txt"
cmake -S "$work/cm" -B "$work/cm/build" -DCMAKE_PREFIX_PATH="$prefix" >"$work/cm.log"
cmake --build "$work/cm/build" >>"$work/cm.log"
"$work/cm/build/consumer" | grep -q '^timclient '
echo "install test passed: $prefix"
