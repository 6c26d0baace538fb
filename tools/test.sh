#!/usr/bin/env bash
# Builds and tests timd twice: a normal build in build/ and an
# AddressSanitizer + UndefinedBehaviorSanitizer build in build-asan/; then
# runs the libFuzzer targets for a bounded time (tools/fuzz.sh, build-fuzz/;
# TIMD_FUZZ_SECONDS per target, default 30 here). Exits non-zero if any fails.
# Works unattended (CI=true, no stdin, root).
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JOBS="${TIMD_JOBS:-2}"
TEST_TIMEOUT="${TIMD_TEST_TIMEOUT:-300}"
exec </dev/null
# ccache: paths relative to this checkout and no working directory in the
# hash, so a fresh clone anywhere reuses the objects of an earlier one.
export CCACHE_BASEDIR="$ROOT" CCACHE_NOHASHDIR=true
# Bounded fuzzing (tools/fuzz.sh): 30 s per target keeps the whole run short.
export TIMD_FUZZ_SECONDS="${TIMD_FUZZ_SECONDS:-30}"
# Line tables are all a failing test's backtrace needs; full debug info
# costs a fifth more compile time.
CI_FLAGS="-O2 -g1 -DNDEBUG"

bash "$ROOT/tools/setup.sh" || { echo "test: setup failed"; exit 1; }

declare -A RESULT
run_build() {  # run_build NAME DIR CMAKE_ARGS...
  local name="$1" dir="$ROOT/$2"
  shift 2
  echo "=== $name: configure, build and test in $dir"
  local start=$SECONDS
  if ! cmake -S "$ROOT" -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@"; then
    RESULT[$name]="FAIL (configure)"
    return 1
  fi
  if ! cmake --build "$dir" -j"$JOBS"; then
    RESULT[$name]="FAIL (build)"
    return 1
  fi
  if ! (cd "$dir" && ctest --output-on-failure -j2 --timeout "$TEST_TIMEOUT"); then
    RESULT[$name]="FAIL (tests) after $((SECONDS - start)) s"
    return 1
  fi
  RESULT[$name]="PASS after $((SECONDS - start)) s"
}

status=0
run_build normal build -DTIMD_SANITIZE=OFF -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="$CI_FLAGS" \
  -DCMAKE_C_FLAGS_RELWITHDEBINFO="$CI_FLAGS" || status=1
run_build asan build-asan -DTIMD_SANITIZE=ON -DTIMD_BUILD_BENCH=OFF || status=1
fuzz_start=$SECONDS
if bash "$ROOT/tools/fuzz.sh"; then
  RESULT[fuzz]="PASS after $((SECONDS - fuzz_start)) s"
else
  RESULT[fuzz]="FAIL after $((SECONDS - fuzz_start)) s"
  status=1
fi

echo
echo "=== summary"
echo "normal build (build/):          ${RESULT[normal]}"
echo "sanitizer build (build-asan/):  ${RESULT[asan]}"
echo "fuzzing (build-fuzz/):          ${RESULT[fuzz]}"
exit $status
