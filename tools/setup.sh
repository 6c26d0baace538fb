#!/usr/bin/env bash
# Installs every Debian 12 package timd needs to build, test and run its demo.
# Idempotent: runs `apt-get update` only when a package is missing.
set -euo pipefail

PACKAGES=(
  build-essential cmake pkg-config git ca-certificates openssl
  libuv1-dev
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler grpc-proto
  libsqlite3-dev sqlite3
  libspdlog-dev libfmt-dev
  libexpat1-dev
  libssl-dev
  libgsasl-dev
  libcurl4-openssl-dev
  nlohmann-json3-dev
  libtomlplusplus-dev
  libcli11-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  prosody lua-bitop
  python3 python3-grpcio python3-protobuf python3-slixmpp
  dnsmasq-base
  procps iproute2 util-linux
  libsystemd-dev systemd
  clang-14 libclang-rt-14-dev
  ccache
  lintian help2man
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#PACKAGES[@]} packages already installed"
  exit 0
fi

SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# Packages such as prosody start a system-wide service from their maintainer
# scripts. timd's tests and demo run their own servers on free ports, so a
# policy-rc.d that refuses service starts keeps the install from starting one.
# If the machine already has a policy-rc.d, it stays in charge and untouched.
POLICY=/usr/sbin/policy-rc.d
added_policy=0
if [ ! -e "$POLICY" ]; then
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$POLICY" >/dev/null
  $SUDO chmod 755 "$POLICY"
  added_policy=1
fi
rc=0
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null || rc=$?
[ "$added_policy" -eq 1 ] && $SUDO rm -f "$POLICY"
[ "$rc" -eq 0 ] || { echo "setup: apt-get install failed ($rc)"; exit "$rc"; }
echo "setup: done"
