#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz/) with clang-14 in build-fuzz/ and
# runs each for a bounded time over a copy of its seed corpus, so the
# committed corpus never grows here. Exits non-zero on any crash, sanitizer
# report, leak, timeout or out-of-memory; the input that caused it is kept
# in build-fuzz/fuzz-artifacts/ (rerun: build-fuzz/tests/fuzz/<target>_fuzzer FILE).
#   TIMD_FUZZ_SECONDS  seconds per target (default 60)
#   TIMD_JOBS          build jobs (default 2)
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="$ROOT/build-fuzz"
JOBS="${TIMD_JOBS:-2}"
FUZZ_SECONDS="${TIMD_FUZZ_SECONDS:-60}"
TARGETS=(xml_stream tim_json api_request)

echo "=== fuzz: build in $BUILD (clang-14)"
CC=clang-14 CXX=clang++-14 cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTIMD_FUZZ=ON >/dev/null ||
  { echo "fuzz: configure failed"; exit 1; }
cmake --build "$BUILD" -j"$JOBS" --target timd_fuzzers || { echo "fuzz: build failed"; exit 1; }

WORK="$(mktemp -d "${TMPDIR:-/tmp}/timd-fuzz-run-XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
ARTIFACTS="$BUILD/fuzz-artifacts"
mkdir -p "$ARTIFACTS"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
# The targets keep a SQLite state file in $TMPDIR: on tmpfs its I/O costs no runs.
if [[ -d /dev/shm && -w /dev/shm ]]; then export TMPDIR=/dev/shm; fi

status=0
summary=()
for target in "${TARGETS[@]}"; do
  echo "=== fuzz: $target for ${FUZZ_SECONDS} s"
  cp -r "$ROOT/tests/fuzz/corpus/$target" "$WORK/$target"
  log="$WORK/$target.log"
  "$BUILD/tests/fuzz/${target}_fuzzer" "$WORK/$target" -dict="$ROOT/tests/fuzz/$target.dict" \
    -max_total_time="$FUZZ_SECONDS" -max_len=4096 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$ARTIFACTS/$target-" >"$log" 2>&1
  rc=$?
  execs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")"
  rate="$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")"
  cov="$(grep -oE 'cov: [0-9]+ ft: [0-9]+' "$log" | tail -1)"
  corpus="$(grep -oE 'corp: [0-9]+/[0-9]+[a-zA-Z]*' "$log" | tail -1)"
  if [[ $rc -eq 0 ]] && ! grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:' "$log"; then
    line="$target: PASS, ${execs:-?} runs (${rate:-?}/s), $cov, $corpus"
  else
    status=1
    line="$target: FAIL (exit $rc); log: $ARTIFACTS/$target.log"
    cp "$log" "$ARTIFACTS/$target.log"
    grep -E 'ERROR|runtime error|fuzzer:|SUMMARY|Test unit written' "$log" | head -20
  fi
  echo "$line"
  summary+=("$line")
done

echo "=== fuzz: summary"
printf '%s\n' "${summary[@]}"
exit $status
