#!/usr/bin/env bash
# timd demo: builds timd, starts a private Prosody (users alice and bob), an
# echo peer logged in as bob, and timd logged in as alice, then prints the
# commands to talk to timd's API from a second terminal. Ctrl-C stops it all.
#
# TIMD_DEMO_SELFTEST=1: instead of waiting, send bob a message through the API,
# wait for the echo to arrive as an event, print PASS or FAIL and exit.
# TIMD_KEEP_DEMO_DIR=1: keep the temp dir (logs, config, state) afterwards.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${TIMD_BUILD_DIR:-$ROOT/build}"  # override to reuse another build dir
PY=/usr/bin/python3
CLIENT="$ROOT/tools/timd_client.py"  # only for the reflection listing (Debian 12 has no grpcurl)
JOBS="${TIMD_JOBS:-$(nproc)}"

log() { printf '\033[1mdemo:\033[0m %s\n' "$*"; }
die() { log "ERROR: $*"; exit 1; }

# --- build --------------------------------------------------------------------
bash "$ROOT/tools/setup.sh"
log "building timd, timctl and timd-echo-peer in $BUILD"
cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$BUILD" --target timd timctl timd-echo-peer -j"$JOBS"
TIMD="$BUILD/daemon/timd"
PEER="$BUILD/tools/echo-peer/timd-echo-peer"
TIMCTL="$BUILD/tools/timctl/timctl"
[ -x "$TIMD" ] || die "missing $TIMD"
[ -x "$TIMCTL" ] || die "missing $TIMCTL"
[ -x "$PEER" ] || die "missing $PEER"

# --- processes and cleanup ------------------------------------------------------
DIR="$(mktemp -d "${TMPDIR:-/tmp}/timd-demo.XXXXXX")"
PIDS=()        # started children, stopped in reverse order
CLEANED=0

cleanup() {
  [ "$CLEANED" = 1 ] && return
  CLEANED=1
  trap - INT TERM
  log "stopping"
  local i pid
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do
    pid="${PIDS[$i]}"
    kill -TERM "$pid" 2>/dev/null || continue
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  if [ "${TIMD_KEEP_DEMO_DIR:-0}" = 1 ]; then
    log "kept $DIR"
  else
    rm -rf "$DIR"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

free_ports() {  # prints N distinct free loopback ports
  "$PY" - "$1" <<'EOF'
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
EOF
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_for() {  # wait_for SECONDS DESCRIPTION COMMAND...
  local seconds="$1" what="$2"
  shift 2
  local deadline=$((SECONDS + seconds))
  until "$@"; do
    [ "$SECONDS" -lt "$deadline" ] || return 1
    sleep 0.1
  done
}

# --- Prosody --------------------------------------------------------------------
read -r C2S_PORT TLS_PORT HTTP_PORT HTTPS_PORT <<<"$(free_ports 4)"
mkdir -p "$DIR/certs" "$DIR/data/localhost/accounts" "$DIR/state"
CA="$DIR/certs/localhost.crt"
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$DIR/certs/localhost.key" -out "$CA" \
  -days 3650 -subj "/CN=localhost" \
  -addext "subjectAltName=DNS:localhost,DNS:conference.localhost,DNS:upload.localhost,IP:127.0.0.1" \
  >"$DIR/openssl.log" 2>&1 || die "openssl failed: $(cat "$DIR/openssl.log")"

cat >"$DIR/prosody.cfg.lua" <<EOF
run_as_root = true
pidfile = "$DIR/prosody.pid"
data_path = "$DIR/data"
interfaces = { "127.0.0.1" }
c2s_ports = { $C2S_PORT }
c2s_direct_tls_ports = { $TLS_PORT }
s2s_ports = { }
http_ports = { $HTTP_PORT }
http_interfaces = { "127.0.0.1" }
-- XEP-0363 uploads (timctl send bob --file PATH) go to http_file_share over
-- HTTPS; slot URLs name 127.0.0.1, which the certificate covers.
https_ports = { $HTTPS_PORT }
https_interfaces = { "127.0.0.1" }
https_ssl = { certificate = "$CA"; key = "$DIR/certs/localhost.key" }
log = { { levels = { min = "info" }, to = "file", filename = "$DIR/prosody.log" } }
ssl = { certificate = "$CA"; key = "$DIR/certs/localhost.key" }
modules_enabled = { "roster"; "saslauth"; "tls"; "disco"; "carbons"; "ping"; "mam"; "smacks"; "offline"; "csi_simple"; "pep" }
modules_disabled = { "s2s" }
authentication = "internal_hashed"
c2s_require_encryption = true
default_archive_policy = true
archive_expires_after = "never"
storage_archive_item_limit = 100000
smacks_hibernation_time = 10
VirtualHost "localhost"
Component "upload.localhost" "http_file_share"
    http_file_share_size_limit = 512*1024*1024
    http_host = "127.0.0.1"
EOF
for user in alice:alicepw bob:bobpw; do
  printf 'return { ["password"] = "%s"; };\n' "${user#*:}" >"$DIR/data/localhost/accounts/${user%%:*}.dat"
  printf '%s\n' "${user#*:}" >"$DIR/${user%%:*}.pw"
  chmod 600 "$DIR/${user%%:*}.pw"
done
prosodyctl --config "$DIR/prosody.cfg.lua" check config >"$DIR/prosody-check.log" 2>&1 ||
  die "prosody config check failed: $(cat "$DIR/prosody-check.log")"

log "starting prosody on 127.0.0.1:$C2S_PORT (STARTTLS) and :$TLS_PORT (direct TLS)"
prosody -F --config "$DIR/prosody.cfg.lua" </dev/null >"$DIR/prosody.out" 2>&1 &
PIDS+=($!)
wait_for 10 prosody port_open "$C2S_PORT" || die "prosody did not start: $(tail -20 "$DIR/prosody.log")"

# --- echo peer (bob) ------------------------------------------------------------
log "starting the echo peer as bob"
"$PEER" --host 127.0.0.1 --port "$C2S_PORT" --domain localhost --user bob \
  --password-file "$DIR/bob.pw" --ca-file "$CA" --count-file "$DIR/echo-peer.tsv" \
  </dev/null >"$DIR/echo-peer.out" 2>"$DIR/echo-peer.log" &
PIDS+=($!)
wait_for 15 "echo peer" grep -q "echo-peer ready as" "$DIR/echo-peer.out" ||
  die "echo peer not ready: $(tail -20 "$DIR/echo-peer.log")"

# --- timd (alice) ---------------------------------------------------------------
SOCK="$DIR/timd.sock"
log "starting timd as alice"
"$TIMD" --user alice --password-file "$DIR/alice.pw" --domain localhost --host 127.0.0.1 \
  --port "$C2S_PORT" --tls starttls --ca-file "$CA" --socket "$SOCK" --state-dir "$DIR/state" \
  </dev/null 2>"$DIR/timd.log" &
PIDS+=($!)
TIMD_PID=$!
C=("$TIMCTL" --socket "$SOCK")
logged_in() {
  kill -0 "$TIMD_PID" 2>/dev/null || die "timd exited: $(tail -20 "$DIR/timd.log")"
  [ -S "$SOCK" ] && "${C[@]}" --timeout 2 status --json 2>/dev/null | grep -q '"LOGINED"'
}
wait_for 20 timd logged_in || die "timd did not log in: $(tail -20 "$DIR/timd.log")"

LIST="$PY $CLIENT --socket $SOCK"
cat <<EOF

timd is running, logged in as alice@localhost; bob@localhost is an echo peer.
  socket:   $SOCK
  logs:     $DIR/timd.log  $DIR/prosody.log  $DIR/echo-peer.log

In a second terminal:
  export TIMD_SOCKET=$SOCK
  $TIMCTL status
  $TIMCTL tail --since 0         # events as JSON lines (keep it open)
  $TIMCTL send bob "hello"       # bob answers "echo: hello"
  $TIMCTL send bob --file PATH   # uploads PATH (XEP-0363), showing progress; prints its URL
  $TIMCTL download URL PATH      # fetches a file element's URL, showing progress
  $TIMCTL history bob
  $TIMCTL convs
  $TIMCTL --help                 # all commands and exit codes; --json for machine output
  $LIST list                     # services, by server reflection
  $LIST list tim.v1.Messages     # one service's methods
(With grpcurl: grpcurl -plaintext -unix $SOCK list)

EOF

if [ "${TIMD_DEMO_SELFTEST:-0}" = 1 ]; then
  TEXT="hello from the demo $$"
  "${C[@]}" tail --since 0 --kinds new_messages >"$DIR/selftest-events.jsonl" 2>"$DIR/selftest-tail.err" &
  PIDS+=($!)
  head -c 1048576 /dev/urandom >"$DIR/selftest-file.bin"
  if "${C[@]}" --json send bob "$TEXT" >"$DIR/selftest-send.json" &&
    wait_for 30 "echo event" grep -qF "echo: $TEXT" "$DIR/selftest-events.jsonl" &&
    "${C[@]}" send bob --file "$DIR/selftest-file.bin" >"$DIR/selftest-file.out" 2>&1 &&
    grep -qF "(100%)" "$DIR/selftest-file.out"; then
    log "selftest: the echo arrived as an event, and a file went up with progress"
    echo "PASS"
    exit 0
  fi
  log "selftest: no echo event; timd log tail:"
  tail -20 "$DIR/timd.log" || true
  cat "$DIR/selftest-tail.err" || true
  echo "FAIL"
  exit 1
fi

log "running; press Ctrl-C to stop"
while true; do
  for pid in "${PIDS[@]}"; do
    kill -0 "$pid" 2>/dev/null || die "process $pid exited; see the logs in $DIR"
  done
  sleep 1 &
  wait $! || true
done
