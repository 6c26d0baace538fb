// timd's configuration: a TOML file plus command-line flags (flags win).
// `timd --help` documents every option; the TOML keys mirror the flags:
//
//   [account]  user, password_file          auto-login at start (optional)
//   [xmpp]     domain, host, port, tls ("starttls" | "direct"), dns_servers, ca_file,
//              insecure_skip_verify, resource, ping_interval, ping_timeout,
//              reconnect_base_ms, reconnect_cap_ms, watch_network
//   [messages] send_timeout, outbox_expiry, revoke_time_limit
//   [api]      socket, tcp_listen, tls_cert, tls_key, allow_uids, allow_gids,
//              max_message_bytes, max_streams_per_connection,
//              max_subscribers_per_caller, max_calls_per_caller,
//              memory_limit_mb, max_threads
//   [store]    state_dir, journal_retention, commit_interval_ms,
//              backlog_commit_interval_ms
//   [log]      level, event_level
//
// Values are type- and range-checked; unknown sections and keys are errors.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"

namespace timd {

struct Config {
  // [account]
  std::string user;           // login at start when set
  std::string password_file;  // file whose first line is the password/token
  // [xmpp]
  std::string domain;         // XMPP domain of the account (required)
  // Neither host nor port set: the server is found by DNS SRV records
  // (RFC 6120 §3.2, XEP-0368), which also choose direct TLS or STARTTLS.
  std::string host;           // server host; with only a port set, the domain
  uint16_t port = 0;          // 0 = not set: 5222 when host is set
  bool direct_tls = false;    // tls = "direct" (else STARTTLS); for host/port only
  std::vector<std::string> dns_servers;  // "IP", "IP:PORT", "[IPv6]:PORT"; empty = /etc/resolv.conf
  std::string ca_file;        // empty = system CA store
  bool insecure_skip_verify = false;
  std::string resource;       // empty = "timd-" + hash(machine-id, account)
  // Liveness: a silent link is probed after ping_interval_s and declared
  // dead ping_timeout_s later (so noticed within 60 s by default).
  uint64_t ping_interval_s = 30;
  uint64_t ping_timeout_s = 30;
  // Reconnect backoff: capped exponential with full jitter.
  uint64_t reconnect_base_ms = 1000;
  uint64_t reconnect_cap_ms = 5 * 60 * 1000;
  bool watch_network = true;  // netlink: reconnect at once when the network changes
  // [messages]
  uint64_t send_timeout_s = 30;        // SendMessage fails (SEND_FAIL) without a server ack by then
  uint64_t outbox_expiry_s = 86400;    // unsent messages found after a restart older than this fail
  uint64_t revoke_time_limit_s = 120;  // RevokeMessage refuses (6223) older own messages
  // [api]
  std::string socket_path;    // default $RUNTIME_DIRECTORY/timd.sock, else /run/timd/timd.sock
  std::string tcp_listen;     // "127.0.0.1:PORT"; empty = off. Needs the token in state_dir/api-token
  std::string api_tls_cert;   // PEM files: TLS on tcp_listen, which may then be any address
  std::string api_tls_key;
  std::vector<uint32_t> allow_uids;  // besides root and timd's own uid
  std::vector<uint32_t> allow_gids;  // besides the socket's group
  uint32_t api_max_message_bytes = 4u << 20;      // largest request a caller may send
  uint32_t api_max_streams_per_connection = 100;  // concurrent calls on one connection
  uint32_t api_max_subscribers_per_caller = 64;   // Subscribe streams per uid (TCP: all token holders)
  uint32_t api_max_calls_per_caller = 1024;        // unary calls in flight per uid (TCP: all token holders)
  uint32_t api_memory_limit_mb = 128;             // gRPC's buffers for all connections
  uint32_t api_max_threads = 16;                  // gRPC threads for reflection and health
  // [store]
  std::string state_dir;      // default $STATE_DIRECTORY, else /var/lib/timd
  uint64_t journal_retention = 1000000;
  uint64_t commit_interval_ms = 20;  // group commit pacing while busy; 0 = every loop turn
  uint64_t backlog_commit_interval_ms = 100;  // pacing while input is backlogged
  // [log]
  std::string log_level = "info";        // spdlog level for stderr
  std::string event_log_level = "info";  // lowest level journaled as LOG events
};

// Parses argv (and the TOML file named by --config). Returns the config, or
// a Status; `exit_code` is set when the process should exit right away
// (--help, --version): 0, or 2 for usage errors, or EX_CONFIG (78) when the
// --config file does not exist.
Result<Config> LoadConfig(int argc, char** argv, int* exit_code);

}  // namespace timd
