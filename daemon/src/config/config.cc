#include "config/config.h"

#include <CLI/CLI.hpp>
#include <toml++/toml.h>

#include <sysexits.h>

#include <cstdlib>
#include <filesystem>
#include <initializer_list>
#include <iostream>
#include <utility>

#include "common/listen_address.h"
#include "config/toml_reader.h"

namespace timd {
namespace {

constexpr const char* kVersion = "timd 0.1.0";

std::string DefaultSocketPath() {
  if (const char* dir = std::getenv("RUNTIME_DIRECTORY"); dir && *dir) {
    std::string first(dir);
    first = first.substr(0, first.find(':'));  // systemd may list several
    return first + "/timd.sock";
  }
  return "/run/timd/timd.sock";
}

std::string DefaultStateDir() {
  if (const char* dir = std::getenv("STATE_DIRECTORY"); dir && *dir) {
    std::string first(dir);
    return first.substr(0, first.find(':'));
  }
  return "/var/lib/timd";
}

// Ranges shared by the TOML keys and their flags.
constexpr IntRange kPort{1, 65535};
constexpr IntRange kPingInterval{0, 86400};              // 0 = off
constexpr IntRange kPingTimeout{1, 3600};
constexpr IntRange kReconnectMs{1, 24 * 3600 * 1000};
constexpr IntRange kSendTimeout{1, 7 * 86400};
constexpr IntRange kOutboxExpiry{1, 365 * 86400};
constexpr IntRange kRevokeTimeLimit{1, 7 * 86400};
constexpr IntRange kJournalRetention{1, 1'000'000'000};
constexpr IntRange kCommitIntervalMs{0, 60'000};         // 0 = every loop turn
constexpr IntRange kMaxMessageBytes{1024, 64 << 20};
constexpr IntRange kMaxStreams{1, 100'000};
constexpr IntRange kMaxSubscribers{1, 100'000};
constexpr IntRange kMaxCalls{1, 100'000};
constexpr IntRange kMemoryLimitMb{16, 64 * 1024};
constexpr IntRange kMaxThreads{2, 1024};
const std::initializer_list<const char*> kLogLevels = {"trace", "debug", "info", "warn", "error", "critical", "off"};

Status ConfigError(const std::string& message) {
  return Status(Code::kInvalidArgument, tim_err::kInvalidParameters, message);
}

Status ApplyToml(const std::string& path, Config& c) {
  toml::table t;
  try {
    t = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    return ConfigError(path + ": " + std::string(e.description()));
  }
  TomlReader r(path, std::move(t));
  r.String("account", "user", c.user);
  r.String("account", "password_file", c.password_file);
  r.String("xmpp", "domain", c.domain);
  r.String("xmpp", "host", c.host);
  r.Integer("xmpp", "port", kPort, c.port);
  std::string tls = c.direct_tls ? "direct" : "starttls";
  r.Choice("xmpp", "tls", {"starttls", "direct"}, tls);
  c.direct_tls = tls == "direct";
  r.StringList("xmpp", "dns_servers", c.dns_servers);
  r.String("xmpp", "ca_file", c.ca_file);
  r.Bool("xmpp", "insecure_skip_verify", c.insecure_skip_verify);
  r.String("xmpp", "resource", c.resource);
  r.Integer("xmpp", "ping_interval", kPingInterval, c.ping_interval_s);
  r.Integer("xmpp", "ping_timeout", kPingTimeout, c.ping_timeout_s);
  r.Integer("xmpp", "reconnect_base_ms", kReconnectMs, c.reconnect_base_ms);
  r.Integer("xmpp", "reconnect_cap_ms", kReconnectMs, c.reconnect_cap_ms);
  r.Bool("xmpp", "watch_network", c.watch_network);
  r.Integer("messages", "send_timeout", kSendTimeout, c.send_timeout_s);
  r.Integer("messages", "outbox_expiry", kOutboxExpiry, c.outbox_expiry_s);
  r.Integer("messages", "revoke_time_limit", kRevokeTimeLimit, c.revoke_time_limit_s);
  r.String("api", "socket", c.socket_path);
  r.String("api", "tcp_listen", c.tcp_listen);
  r.String("api", "tls_cert", c.api_tls_cert);
  r.String("api", "tls_key", c.api_tls_key);
  r.IdList("api", "allow_uids", c.allow_uids);
  r.IdList("api", "allow_gids", c.allow_gids);
  r.Integer("api", "max_message_bytes", kMaxMessageBytes, c.api_max_message_bytes);
  r.Integer("api", "max_streams_per_connection", kMaxStreams, c.api_max_streams_per_connection);
  r.Integer("api", "max_subscribers_per_caller", kMaxSubscribers, c.api_max_subscribers_per_caller);
  r.Integer("api", "max_calls_per_caller", kMaxCalls, c.api_max_calls_per_caller);
  r.Integer("api", "memory_limit_mb", kMemoryLimitMb, c.api_memory_limit_mb);
  r.Integer("api", "max_threads", kMaxThreads, c.api_max_threads);
  r.String("store", "state_dir", c.state_dir);
  r.Integer("store", "journal_retention", kJournalRetention, c.journal_retention);
  r.Integer("store", "commit_interval_ms", kCommitIntervalMs, c.commit_interval_ms);
  r.Integer("store", "backlog_commit_interval_ms", kCommitIntervalMs, c.backlog_commit_interval_ms);
  r.Choice("log", "level", kLogLevels, c.log_level);
  r.Choice("log", "event_level", kLogLevels, c.event_log_level);
  return r.Finish();
}

CLI::Validator InRange(IntRange range) { return CLI::Range(range.min, range.max); }

// Checks that need the merged file + flags.
Status Validate(const Config& c) {
  if (c.domain.empty()) return ConfigError("no XMPP domain: set --domain or [xmpp] domain");
  if (!c.user.empty() && c.password_file.empty()) {
    return ConfigError("--user needs --password-file (passwords are never taken on the command line)");
  }
  for (const std::string& server : c.dns_servers) {
    Status address = ValidateDnsServerAddress(server);
    if (!address.ok()) return ConfigError("[xmpp] " + address.message().substr(std::string("xmpp ").size()));
  }
  if (c.reconnect_cap_ms < c.reconnect_base_ms) {
    return ConfigError("[xmpp] reconnect_cap_ms must be at least reconnect_base_ms");
  }
  if (c.api_tls_cert.empty() != c.api_tls_key.empty()) {
    return ConfigError("[api] tls_cert and tls_key go together: set both or neither");
  }
  bool tls = !c.api_tls_cert.empty();
  if (tls && c.tcp_listen.empty()) return ConfigError("[api] tls_cert and tls_key need tcp_listen");
  if (!c.tcp_listen.empty()) {
    Status address = tls ? ValidateListenAddress(c.tcp_listen) : ValidateLoopbackAddress(c.tcp_listen);
    if (!address.ok()) return ConfigError("[api] " + address.message().substr(std::string("api ").size()));
  }
  return Status::Ok();
}

}  // namespace

Result<Config> LoadConfig(int argc, char** argv, int* exit_code) {
  *exit_code = -1;
  Config file_config;
  Config flags;
  std::string config_path;
  std::string tls_mode;
  uint32_t port = 0;

  CLI::App app{"timd: an instant-messaging client daemon (TIM C API over XMPP), serving gRPC on a Unix socket"};
  app.set_version_flag("--version", kVersion);
  app.add_option("--config", config_path, "TOML config file; command-line flags override its values");
  app.add_option("--user", flags.user, "[account] user: log in as this user at start (local part or bare JID)");
  app.add_option("--password-file", flags.password_file,
                 "[account] password_file: file whose first line is the password or token");
  app.add_option("--domain", flags.domain, "[xmpp] domain: XMPP domain of the account (IDs without '@' live here)");
  app.add_option("--host", flags.host,
                 "[xmpp] host: server host name or address; with neither host nor port set, the server is found "
                 "by the domain's DNS SRV records (_xmpps-client, _xmpp-client), else at the domain, port 5222");
  app.add_option("--port", port, "[xmpp] port: server port (default 5222; setting it turns SRV lookup off)")
      ->check(InRange(kPort));
  app.add_option("--tls", tls_mode, "[xmpp] tls: starttls (default) or direct, for host/port (SRV records choose "
                 "their own)")->check(CLI::IsMember({"starttls", "direct"}));
  app.add_option("--dns-server", flags.dns_servers,
                 "[xmpp] dns_servers: DNS server for the SRV lookup, as IP, IP:PORT or [IPv6]:PORT (repeatable; "
                 "default: the system's /etc/resolv.conf)");
  app.add_option("--ca-file", flags.ca_file, "[xmpp] ca_file: CA bundle to verify the server (default: system CAs)");
  app.add_flag("--insecure-skip-verify", flags.insecure_skip_verify,
               "[xmpp] insecure_skip_verify: do not verify the server certificate (testing only)");
  app.add_option("--resource", flags.resource,
                 "[xmpp] resource: XMPP resource (default: timd- + hash of machine-id and account)");
  app.add_option("--ping-interval", flags.ping_interval_s,
                 "[xmpp] ping_interval: seconds of silence before probing the server (default 30; 0 = off)")
      ->check(InRange(kPingInterval));
  app.add_option("--ping-timeout", flags.ping_timeout_s,
                 "[xmpp] ping_timeout: seconds without an answer before the link counts as dead (default 30)")
      ->check(InRange(kPingTimeout));
  app.add_option("--reconnect-base-ms", flags.reconnect_base_ms,
                 "[xmpp] reconnect_base_ms: first reconnect delay ceiling; doubles per failure, full jitter "
                 "(default 1000)")->check(InRange(kReconnectMs));
  app.add_option("--reconnect-cap-ms", flags.reconnect_cap_ms,
                 "[xmpp] reconnect_cap_ms: largest reconnect delay (default 300000)")->check(InRange(kReconnectMs));
  app.add_option("--watch-network", flags.watch_network,
                 "[xmpp] watch_network: on a network change (netlink), reconnect at once or probe the live "
                 "connection (default true)");
  app.add_option("--send-timeout", flags.send_timeout_s,
                 "[messages] send_timeout: seconds SendMessage waits for the server's ack (also while "
                 "disconnected) before the message fails; retry with the same client_msg_id (default 30)")
      ->check(InRange(kSendTimeout));
  app.add_option("--outbox-expiry", flags.outbox_expiry_s,
                 "[messages] outbox_expiry: unsent messages found after a restart are sent again unless older "
                 "than this many seconds; older ones fail (default 86400)")->check(InRange(kOutboxExpiry));
  app.add_option("--revoke-time-limit", flags.revoke_time_limit_s,
                 "[messages] revoke_time_limit: seconds after sending during which an own message may be revoked; "
                 "later RevokeMessage fails with TIM code 6223 (default 120)")->check(InRange(kRevokeTimeLimit));
  app.add_option("--socket", flags.socket_path,
                 "[api] socket: API socket path (default: $RUNTIME_DIRECTORY/timd.sock, else /run/timd/timd.sock)");
  app.add_option("--tcp-listen", flags.tcp_listen,
                 "[api] tcp_listen: also serve on this HOST:PORT (off by default); loopback only unless TLS is "
                 "set. Every call needs metadata 'authorization: Bearer TOKEN', TOKEN being the first line of "
                 "STATE_DIR/api-token (created 0600 on first use)");
  app.add_option("--api-tls-cert", flags.api_tls_cert,
                 "[api] tls_cert: PEM certificate (chain) for TLS on tcp_listen; needs --api-tls-key");
  app.add_option("--api-tls-key", flags.api_tls_key, "[api] tls_key: PEM private key for tls_cert");
  const CLI::Range valid_id(uint32_t{0}, UINT32_MAX - 1);
  app.add_option("--allow-uid", flags.allow_uids, "[api] allow_uids: extra uids admitted on the socket (repeatable)")
      ->check(valid_id);
  app.add_option("--allow-gid", flags.allow_gids,
                 "[api] allow_gids: extra gids admitted on the socket, as primary or supplementary group "
                 "(repeatable)")
      ->check(valid_id);
  app.add_option("--api-max-message-bytes", flags.api_max_message_bytes,
                 "[api] max_message_bytes: largest request message a caller may send (default 4194304)")
      ->check(InRange(kMaxMessageBytes));
  app.add_option("--api-max-streams-per-connection", flags.api_max_streams_per_connection,
                 "[api] max_streams_per_connection: concurrent calls on one connection (default 100)")
      ->check(InRange(kMaxStreams));
  app.add_option("--api-max-subscribers-per-caller", flags.api_max_subscribers_per_caller,
                 "[api] max_subscribers_per_caller: concurrent Subscribe streams per Unix-socket uid, and for all "
                 "TCP callers together; more are refused with RESOURCE_EXHAUSTED (default 64)")
      ->check(InRange(kMaxSubscribers));
  app.add_option("--api-max-calls-per-caller", flags.api_max_calls_per_caller,
                 "[api] max_calls_per_caller: unary calls in flight per Unix-socket uid, and for all TCP callers "
                 "together; more are refused with RESOURCE_EXHAUSTED (default 256)")
      ->check(InRange(kMaxCalls));
  app.add_option("--api-memory-limit-mb", flags.api_memory_limit_mb,
                 "[api] memory_limit_mb: memory gRPC may use for all API connections (default 128)")
      ->check(InRange(kMemoryLimitMb));
  app.add_option("--api-max-threads", flags.api_max_threads,
                 "[api] max_threads: threads gRPC may use for its synchronous services (default 16)")
      ->check(InRange(kMaxThreads));
  app.add_option("--state-dir", flags.state_dir,
                 "[store] state_dir: directory of the SQLite store (default: $STATE_DIRECTORY, else /var/lib/timd)");
  app.add_option("--journal-retention", flags.journal_retention,
                 "[store] journal_retention: number of events kept for Subscribe replay (default 1000000)")
      ->check(InRange(kJournalRetention));
  app.add_option("--commit-interval", flags.commit_interval_ms,
                 "[store] commit_interval_ms: while messages keep arriving, commit (and deliver events) at most "
                 "once per this many ms; the first write after a quiet spell commits at once (default 20, 0 = "
                 "every loop turn)")->check(InRange(kCommitIntervalMs));
  app.add_option("--backlog-commit-interval", flags.backlog_commit_interval_ms,
                 "[store] backlog_commit_interval_ms: the same while the server delivers faster than timd "
                 "processes (e.g. a stored backlog): fewer, larger commits (default 100; never shorter than "
                 "commit_interval_ms)")->check(InRange(kCommitIntervalMs));
  app.add_option("--log-level", flags.log_level,
                 "[log] level: trace, debug, info, warn, error, critical, off (default info)")
      ->check(CLI::IsMember(kLogLevels));
  app.add_option("--event-log-level", flags.event_log_level,
                 "[log] event_level: lowest level published as LOG events (default info)")
      ->check(CLI::IsMember(kLogLevels));

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    *exit_code = app.exit(e) == 0 ? 0 : 2;
    return Status(Code::kInvalidArgument, tim_err::kInvalidParameters, e.what());
  }

  Config c;
  if (!config_path.empty()) {
    std::error_code error;
    if (!std::filesystem::exists(config_path, error)) {
      // Typically an instance timd@NAME whose NAME.toml was never written.
      *exit_code = EX_CONFIG;
      return ConfigError(config_path + ": no such config file; write it (start from timd.toml next to it or "
                         "timd.toml.example), then start timd again");
    }
    if (Status s = ApplyToml(config_path, c); !s.ok()) {
      *exit_code = 2;
      return s;
    }
  }
  // Flags win over the file.
  auto take = [](std::string& dst, const std::string& src) { if (!src.empty()) dst = src; };
  take(c.user, flags.user);
  take(c.password_file, flags.password_file);
  take(c.domain, flags.domain);
  take(c.host, flags.host);
  if (port != 0) c.port = static_cast<uint16_t>(port);
  if (!tls_mode.empty()) c.direct_tls = tls_mode == "direct";
  if (!flags.dns_servers.empty()) c.dns_servers = flags.dns_servers;
  take(c.ca_file, flags.ca_file);
  if (flags.insecure_skip_verify) c.insecure_skip_verify = true;
  take(c.resource, flags.resource);
  if (app.count("--ping-interval")) c.ping_interval_s = flags.ping_interval_s;
  if (app.count("--ping-timeout")) c.ping_timeout_s = flags.ping_timeout_s;
  if (app.count("--reconnect-base-ms")) c.reconnect_base_ms = flags.reconnect_base_ms;
  if (app.count("--reconnect-cap-ms")) c.reconnect_cap_ms = flags.reconnect_cap_ms;
  if (app.count("--watch-network")) c.watch_network = flags.watch_network;
  if (app.count("--send-timeout")) c.send_timeout_s = flags.send_timeout_s;
  if (app.count("--outbox-expiry")) c.outbox_expiry_s = flags.outbox_expiry_s;
  if (app.count("--revoke-time-limit")) c.revoke_time_limit_s = flags.revoke_time_limit_s;
  take(c.socket_path, flags.socket_path);
  take(c.tcp_listen, flags.tcp_listen);
  take(c.api_tls_cert, flags.api_tls_cert);
  take(c.api_tls_key, flags.api_tls_key);
  if (app.count("--api-max-message-bytes")) c.api_max_message_bytes = flags.api_max_message_bytes;
  if (app.count("--api-max-streams-per-connection")) {
    c.api_max_streams_per_connection = flags.api_max_streams_per_connection;
  }
  if (app.count("--api-max-subscribers-per-caller")) {
    c.api_max_subscribers_per_caller = flags.api_max_subscribers_per_caller;
  }
  if (app.count("--api-max-calls-per-caller")) c.api_max_calls_per_caller = flags.api_max_calls_per_caller;
  if (app.count("--api-memory-limit-mb")) c.api_memory_limit_mb = flags.api_memory_limit_mb;
  if (app.count("--api-max-threads")) c.api_max_threads = flags.api_max_threads;
  if (!flags.allow_uids.empty()) c.allow_uids = flags.allow_uids;
  if (!flags.allow_gids.empty()) c.allow_gids = flags.allow_gids;
  take(c.state_dir, flags.state_dir);
  if (app.count("--journal-retention")) c.journal_retention = flags.journal_retention;
  if (app.count("--commit-interval")) c.commit_interval_ms = flags.commit_interval_ms;
  if (app.count("--backlog-commit-interval")) c.backlog_commit_interval_ms = flags.backlog_commit_interval_ms;
  if (app.count("--log-level")) c.log_level = flags.log_level;
  if (app.count("--event-log-level")) c.event_log_level = flags.event_log_level;

  if (c.socket_path.empty()) c.socket_path = DefaultSocketPath();
  if (c.state_dir.empty()) c.state_dir = DefaultStateDir();
  if (c.domain.empty() && !c.user.empty()) {
    if (auto at = c.user.find('@'); at != std::string::npos) c.domain = c.user.substr(at + 1);
  }
  if (Status valid = Validate(c); !valid.ok()) {
    *exit_code = 2;
    return valid;
  }
  return c;
}

}  // namespace timd
