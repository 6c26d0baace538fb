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
  python3 python3-grpcio python3-protobuf
  procps iproute2 util-linux
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
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# The prosody package starts a system-wide server; timd's tests and demo run their own.
if command -v systemctl >/dev/null && systemctl is-active --quiet prosody 2>/dev/null; then
  $SUDO systemctl stop prosody || true
fi
$SUDO pkill -x prosody 2>/dev/null || true
pgrep -f '/usr/bin/prosody' >/dev/null && $SUDO pkill -f '/usr/bin/prosody' || true
echo "setup: done"
