#include "config/config.h"

#include <CLI/CLI.hpp>
#include <toml++/toml.h>

#include <cstdlib>
#include <iostream>

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

Status ApplyToml(const std::string& path, Config& c) {
  toml::table t;
  try {
    t = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    return Status(Code::kInvalidArgument, tim_err::kInvalidParameters,
                  "config " + path + ": " + std::string(e.description()));
  }
  auto str = [&](const char* section, const char* key, std::string& out) {
    if (auto v = t[section][key].value<std::string>()) out = *v;
  };
  str("account", "user", c.user);
  str("account", "password_file", c.password_file);
  str("xmpp", "domain", c.domain);
  str("xmpp", "host", c.host);
  if (auto v = t["xmpp"]["port"].value<int64_t>()) c.port = static_cast<uint16_t>(*v);
  if (auto v = t["xmpp"]["tls"].value<std::string>()) {
    if (*v != "starttls" && *v != "direct") {
      return Status(Code::kInvalidArgument, tim_err::kInvalidParameters,
                    "config " + path + ": xmpp.tls must be \"starttls\" or \"direct\"");
    }
    c.direct_tls = *v == "direct";
  }
  str("xmpp", "ca_file", c.ca_file);
  if (auto v = t["xmpp"]["insecure_skip_verify"].value<bool>()) c.insecure_skip_verify = *v;
  str("xmpp", "resource", c.resource);
  if (auto v = t["xmpp"]["ping_interval"].value<int64_t>()) c.ping_interval_s = static_cast<uint64_t>(*v);
  if (auto v = t["xmpp"]["ping_timeout"].value<int64_t>()) c.ping_timeout_s = static_cast<uint64_t>(*v);
  if (auto v = t["xmpp"]["reconnect_base_ms"].value<int64_t>()) c.reconnect_base_ms = static_cast<uint64_t>(*v);
  if (auto v = t["xmpp"]["reconnect_cap_ms"].value<int64_t>()) c.reconnect_cap_ms = static_cast<uint64_t>(*v);
  if (auto v = t["xmpp"]["watch_network"].value<bool>()) c.watch_network = *v;
  if (auto v = t["messages"]["send_timeout"].value<int64_t>()) c.send_timeout_s = static_cast<uint64_t>(*v);
  if (auto v = t["messages"]["outbox_expiry"].value<int64_t>()) c.outbox_expiry_s = static_cast<uint64_t>(*v);
  str("api", "socket", c.socket_path);
  str("api", "tcp_listen", c.tcp_listen);
  if (auto* arr = t["api"]["allow_uids"].as_array()) {
    for (auto& v : *arr) if (auto n = v.value<int64_t>()) c.allow_uids.push_back(static_cast<uint32_t>(*n));
  }
  if (auto* arr = t["api"]["allow_gids"].as_array()) {
    for (auto& v : *arr) if (auto n = v.value<int64_t>()) c.allow_gids.push_back(static_cast<uint32_t>(*n));
  }
  str("store", "state_dir", c.state_dir);
  if (auto v = t["store"]["journal_retention"].value<int64_t>()) c.journal_retention = static_cast<uint64_t>(*v);
  if (auto v = t["store"]["commit_interval_ms"].value<int64_t>()) c.commit_interval_ms = static_cast<uint64_t>(*v);
  if (auto v = t["store"]["backlog_commit_interval_ms"].value<int64_t>()) {
    c.backlog_commit_interval_ms = static_cast<uint64_t>(*v);
  }
  str("log", "level", c.log_level);
  str("log", "event_level", c.event_log_level);
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
  app.add_option("--host", flags.host, "[xmpp] host: server host name or address (default: the domain)");
  app.add_option("--port", port, "[xmpp] port: server port (default 5222)")->check(CLI::Range(1, 65535));
  app.add_option("--tls", tls_mode, "[xmpp] tls: starttls (default) or direct")
      ->check(CLI::IsMember({"starttls", "direct"}));
  app.add_option("--ca-file", flags.ca_file, "[xmpp] ca_file: CA bundle to verify the server (default: system CAs)");
  app.add_flag("--insecure-skip-verify", flags.insecure_skip_verify,
               "[xmpp] insecure_skip_verify: do not verify the server certificate (testing only)");
  app.add_option("--resource", flags.resource,
                 "[xmpp] resource: XMPP resource (default: timd- + hash of machine-id and account)");
  app.add_option("--ping-interval", flags.ping_interval_s,
                 "[xmpp] ping_interval: seconds of silence before probing the server (default 30; 0 = off)");
  app.add_option("--ping-timeout", flags.ping_timeout_s,
                 "[xmpp] ping_timeout: seconds without an answer before the link counts as dead (default 30)");
  app.add_option("--reconnect-base-ms", flags.reconnect_base_ms,
                 "[xmpp] reconnect_base_ms: first reconnect delay ceiling; doubles per failure, full jitter "
                 "(default 1000)");
  app.add_option("--reconnect-cap-ms", flags.reconnect_cap_ms,
                 "[xmpp] reconnect_cap_ms: largest reconnect delay (default 300000)");
  app.add_option("--watch-network", flags.watch_network,
                 "[xmpp] watch_network: on a network change (netlink), reconnect at once or probe the live "
                 "connection (default true)");
  app.add_option("--send-timeout", flags.send_timeout_s,
                 "[messages] send_timeout: seconds SendMessage waits for the server's ack (also while "
                 "disconnected) before the message fails; retry with the same client_msg_id (default 30)");
  app.add_option("--outbox-expiry", flags.outbox_expiry_s,
                 "[messages] outbox_expiry: unsent messages found after a restart are sent again unless older "
                 "than this many seconds; older ones fail (default 86400)");
  app.add_option("--socket", flags.socket_path,
                 "[api] socket: API socket path (default: $RUNTIME_DIRECTORY/timd.sock, else /run/timd/timd.sock)");
  app.add_option("--tcp-listen", flags.tcp_listen, "[api] tcp_listen: also serve on this loopback HOST:PORT (off by default)");
  app.add_option("--allow-uid", flags.allow_uids, "[api] allow_uids: extra uids admitted on the socket (repeatable)");
  app.add_option("--allow-gid", flags.allow_gids, "[api] allow_gids: extra gids admitted on the socket (repeatable)");
  app.add_option("--state-dir", flags.state_dir,
                 "[store] state_dir: directory of the SQLite store (default: $STATE_DIRECTORY, else /var/lib/timd)");
  app.add_option("--journal-retention", flags.journal_retention,
                 "[store] journal_retention: number of events kept for Subscribe replay (default 1000000)");
  app.add_option("--commit-interval", flags.commit_interval_ms,
                 "[store] commit_interval_ms: while messages keep arriving, commit (and deliver events) at most "
                 "once per this many ms; the first write after a quiet spell commits at once (default 20, 0 = "
                 "every loop turn)");
  app.add_option("--backlog-commit-interval", flags.backlog_commit_interval_ms,
                 "[store] backlog_commit_interval_ms: the same while the server delivers faster than timd "
                 "processes (e.g. a stored backlog): fewer, larger commits (default 100; never shorter than "
                 "commit_interval_ms)");
  app.add_option("--log-level", flags.log_level, "[log] level: trace, debug, info, warn, error (default info)");
  app.add_option("--event-log-level", flags.event_log_level,
                 "[log] event_level: lowest level published as LOG events (default info)");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    *exit_code = app.exit(e) == 0 ? 0 : 2;
    return Status(Code::kInvalidArgument, tim_err::kInvalidParameters, e.what());
  }

  Config c;
  if (!config_path.empty()) {
    if (Status s = ApplyToml(config_path, c); !s.ok()) return s;
  }
  // Flags win over the file.
  auto take = [](std::string& dst, const std::string& src) { if (!src.empty()) dst = src; };
  take(c.user, flags.user);
  take(c.password_file, flags.password_file);
  take(c.domain, flags.domain);
  take(c.host, flags.host);
  if (port != 0) c.port = static_cast<uint16_t>(port);
  if (!tls_mode.empty()) c.direct_tls = tls_mode == "direct";
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
  take(c.socket_path, flags.socket_path);
  take(c.tcp_listen, flags.tcp_listen);
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
  if (c.domain.empty()) {
    *exit_code = 2;
    return Status(Code::kInvalidArgument, tim_err::kInvalidParameters,
                  "no XMPP domain: set --domain or [xmpp] domain");
  }
  if (!c.user.empty() && c.password_file.empty()) {
    *exit_code = 2;
    return Status(Code::kInvalidArgument, tim_err::kInvalidParameters,
                  "--user needs --password-file (passwords are never taken on the command line)");
  }
  if (c.journal_retention == 0) {
    *exit_code = 2;
    return Status(Code::kInvalidArgument, tim_err::kInvalidParameters, "journal_retention must be at least 1");
  }
  if (c.send_timeout_s == 0 || c.outbox_expiry_s == 0) {
    *exit_code = 2;
    return Status(Code::kInvalidArgument, tim_err::kInvalidParameters,
                  "send_timeout and outbox_expiry must be at least 1 second");
  }
  if (c.reconnect_base_ms == 0 || c.reconnect_cap_ms < c.reconnect_base_ms) {
    *exit_code = 2;  // a zero delay would reconnect in a tight loop
    return Status(Code::kInvalidArgument, tim_err::kInvalidParameters,
                  "reconnect_base_ms must be at least 1 and reconnect_cap_ms at least reconnect_base_ms");
  }
  return c;
}

}  // namespace timd
