#include "config/config.h"

#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include "unit/store/temp_dir.h"

namespace timd {
namespace {

class ConfigTest : public ::testing::Test {
 protected:
  // LoadConfig over `args` (argv[0] added); the exit code lands in exit_code_.
  Result<Config> Load(std::vector<std::string> args) {
    args.insert(args.begin(), "timd");
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    exit_code_ = -1;
    return LoadConfig(static_cast<int>(argv.size()), argv.data(), &exit_code_);
  }

  std::string WriteToml(const std::string& text) {
    const std::string path = dir_.File("timd.toml");
    std::ofstream(path) << text;
    return path;
  }

  std::string TomlError(const std::string& toml);

  testing::TempDir dir_;
  int exit_code_ = -1;
};

TEST_F(ConfigTest, ReconnectAndNetworkDefaults) {
  auto c = Load({"--domain", "example.org"});
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c.value().reconnect_base_ms, 1000u);
  EXPECT_EQ(c.value().reconnect_cap_ms, 300000u);
  EXPECT_TRUE(c.value().watch_network);
  EXPECT_EQ(c.value().commit_interval_ms, 20u);
  EXPECT_EQ(c.value().backlog_commit_interval_ms, 100u);
}

TEST_F(ConfigTest, TomlKeysAndFlagsWin) {
  const std::string toml = WriteToml(R"(
[xmpp]
domain = "example.org"
reconnect_base_ms = 250
reconnect_cap_ms = 60000
watch_network = false
[store]
commit_interval_ms = 0
backlog_commit_interval_ms = 300
[messages]
send_timeout = 5
outbox_expiry = 600
revoke_time_limit = 30
)");
  auto from_file = Load({"--config", toml});
  ASSERT_TRUE(from_file.ok()) << from_file.status().message();
  EXPECT_EQ(from_file.value().reconnect_base_ms, 250u);
  EXPECT_EQ(from_file.value().reconnect_cap_ms, 60000u);
  EXPECT_FALSE(from_file.value().watch_network);
  EXPECT_EQ(from_file.value().commit_interval_ms, 0u);
  EXPECT_EQ(from_file.value().backlog_commit_interval_ms, 300u);
  EXPECT_EQ(from_file.value().send_timeout_s, 5u);
  EXPECT_EQ(from_file.value().outbox_expiry_s, 600u);
  EXPECT_EQ(from_file.value().revoke_time_limit_s, 30u);

  auto flags = Load({"--config", toml, "--reconnect-base-ms", "500", "--watch-network", "true",
                     "--backlog-commit-interval", "50"});
  ASSERT_TRUE(flags.ok()) << flags.status().message();
  EXPECT_EQ(flags.value().reconnect_base_ms, 500u);
  EXPECT_EQ(flags.value().backlog_commit_interval_ms, 50u);
  EXPECT_EQ(flags.value().reconnect_cap_ms, 60000u);
  EXPECT_TRUE(flags.value().watch_network);
}

TEST_F(ConfigTest, ZeroTimeoutsAndBackoffsAreRefused) {
  auto zero = Load({"--domain", "example.org", "--reconnect-base-ms", "0"});
  ASSERT_FALSE(zero.ok());
  EXPECT_EQ(exit_code_, 2);
  EXPECT_NE(zero.status().message().find("--reconnect-base-ms"), std::string::npos) << zero.status().message();

  auto no_timeout = Load({"--domain", "example.org", "--send-timeout", "0"});
  ASSERT_FALSE(no_timeout.ok());
  EXPECT_EQ(exit_code_, 2);

  auto inverted = Load({"--domain", "example.org", "--reconnect-base-ms", "5000", "--reconnect-cap-ms", "1000"});
  ASSERT_FALSE(inverted.ok());
  EXPECT_EQ(exit_code_, 2);
}

// The error of loading `toml` (with a domain flag), or "" when it loads.
std::string ConfigTest::TomlError(const std::string& toml) {
  auto c = Load({"--config", WriteToml(toml), "--domain", "example.org"});
  if (c.ok()) return "";
  EXPECT_EQ(exit_code_, 2);
  return c.status().message();
}

TEST_F(ConfigTest, UnknownSectionsAndKeysAreRefusedWithFileAndKey) {
  const std::string file = dir_.File("timd.toml");
  EXPECT_EQ(TomlError("[xmpp]\nprot = 5222\n"), file + ": key [xmpp.prot]: unknown key");
  EXPECT_EQ(TomlError("[xmmp]\nport = 5222\n"), file + ": key [xmmp]: unknown section or key");
  EXPECT_EQ(TomlError("domain = \"example.org\"\n"), file + ": key [domain]: unknown section or key");
  EXPECT_EQ(TomlError("xmpp = 5\n"), file + ": key [xmpp]: must be a section ([xmpp]), not an integer");
}

TEST_F(ConfigTest, WrongTypesAreRefused) {
  const std::string file = dir_.File("timd.toml");
  EXPECT_EQ(TomlError("[xmpp]\nport = \"5222\"\n"), file + ": key [xmpp.port]: must be an integer, not a string");
  EXPECT_EQ(TomlError("[xmpp]\ninsecure_skip_verify = \"yes\"\n"),
            file + ": key [xmpp.insecure_skip_verify]: must be true or false, not a string");
  EXPECT_EQ(TomlError("[xmpp]\ninsecure_skip_verify = 1\n"),
            file + ": key [xmpp.insecure_skip_verify]: must be true or false, not an integer");
  EXPECT_EQ(TomlError("[xmpp]\nhost = 1.5\n"), file + ": key [xmpp.host]: must be a string, not a float");
  EXPECT_EQ(TomlError("[api]\nallow_uids = 1000\n"),
            file + ": key [api.allow_uids]: must be an array of ids, not an integer");
  EXPECT_EQ(TomlError("[api]\nallow_gids = [\"wheel\"]\n"),
            file + ": key [api.allow_gids]: must hold integers from 0 to 4294967294");
  EXPECT_EQ(TomlError("[xmpp]\ntls = \"ssl\"\n"),
            file + ": key [xmpp.tls]: must be one of \"starttls\", \"direct\", not \"ssl\"");
  EXPECT_NE(TomlError("[log]\nlevel = \"verbose\"\n").find("key [log.level]: must be one of"), std::string::npos);
  auto insecure = Load({"--config", WriteToml("[xmpp]\ninsecure_skip_verify = true\n"), "--domain", "x.org"});
  ASSERT_TRUE(insecure.ok()) << insecure.status().message();
  EXPECT_TRUE(insecure.value().insecure_skip_verify);
}

TEST_F(ConfigTest, NumbersOutsideTheirRangeAreRefused) {
  const std::string file = dir_.File("timd.toml");
  struct Case {
    const char* section;
    const char* key;
    const char* value;
    const char* range;
  };
  for (const Case& bad : std::vector<Case>{{"xmpp", "port", "0", "1 to 65535"},
                                           {"xmpp", "port", "65536", "1 to 65535"},
                                           {"xmpp", "port", "-1", "1 to 65535"},
                                           {"xmpp", "ping_interval", "-5", "0 to 86400"},
                                           {"xmpp", "ping_timeout", "0", "1 to 3600"},
                                           {"xmpp", "reconnect_base_ms", "0", "1 to 86400000"},
                                           {"xmpp", "reconnect_cap_ms", "0", "1 to 86400000"},
                                           {"messages", "send_timeout", "0", "1 to 604800"},
                                           {"messages", "outbox_expiry", "0", "1 to 31536000"},
                                           {"messages", "revoke_time_limit", "0", "1 to 604800"},
                                           {"store", "journal_retention", "0", "1 to 1000000000"},
                                           {"store", "commit_interval_ms", "-1", "0 to 60000"},
                                           {"store", "backlog_commit_interval_ms", "60001", "0 to 60000"},
                                           {"api", "max_message_bytes", "100", "1024 to 67108864"},
                                           {"api", "max_streams_per_connection", "0", "1 to 100000"},
                                           {"api", "max_subscribers_per_caller", "0", "1 to 100000"},
                                           {"api", "max_calls_per_caller", "100001", "1 to 100000"},
                                           {"api", "memory_limit_mb", "1", "16 to 65536"},
                                           {"api", "max_threads", "1", "2 to 1024"}}) {
    std::string toml = std::string("[") + bad.section + "]\n" + bad.key + " = " + bad.value + "\n";
    EXPECT_EQ(TomlError(toml), file + ": key [" + bad.section + "." + bad.key + "]: must be from " + bad.range +
                                   ", not " + bad.value);
  }
  // The same ranges hold for the flags.
  for (const std::vector<std::string>& flags : std::vector<std::vector<std::string>>{
           {"--port", "0"}, {"--ping-timeout", "0"}, {"--journal-retention", "0"}, {"--commit-interval", "60001"},
           {"--api-max-subscribers-per-caller", "0"}, {"--api-max-message-bytes", "10"}, {"--allow-uid", "-1"},
           {"--allow-gid", "4294967295"}, {"--log-level", "loud"}}) {
    std::vector<std::string> args = {"--domain", "example.org"};
    args.insert(args.end(), flags.begin(), flags.end());
    auto c = Load(args);
    EXPECT_FALSE(c.ok()) << flags[0];
    EXPECT_EQ(exit_code_, 2) << flags[0];
  }
}

TEST_F(ConfigTest, ShippedExampleLoads) {
  auto c = Load({"--config", std::string(TIMD_SOURCE_DIR) + "/systemd/timd.toml.example"});
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c.value().domain, "example.org");
}

TEST_F(ConfigTest, DnsServersAndWhenSrvIsUsed) {
  auto defaults = Load({"--domain", "example.org"});
  ASSERT_TRUE(defaults.ok()) << defaults.status().message();
  EXPECT_TRUE(defaults.value().host.empty());
  EXPECT_EQ(defaults.value().port, 0u);  // neither set: the server comes from SRV
  EXPECT_TRUE(defaults.value().dns_servers.empty());

  auto file = Load({"--config", WriteToml(R"(
[xmpp]
domain = "example.org"
dns_servers = ["192.0.2.53", "192.0.2.54:5353", "[2001:db8::53]:53", "2001:db8::54"]
)")});
  ASSERT_TRUE(file.ok()) << file.status().message();
  EXPECT_EQ(file.value().dns_servers,
            (std::vector<std::string>{"192.0.2.53", "192.0.2.54:5353", "[2001:db8::53]:53", "2001:db8::54"}));

  auto flags = Load({"--config", dir_.File("timd.toml"), "--dns-server", "127.0.0.2", "--dns-server", "[::1]:53"});
  ASSERT_TRUE(flags.ok()) << flags.status().message();
  EXPECT_EQ(flags.value().dns_servers, (std::vector<std::string>{"127.0.0.2", "[::1]:53"}));

  for (const auto& [bad, why] : std::vector<std::pair<std::string, std::string>>{
           {"dns.example.org", "expected an IP address, not a host name"},
           {"dns.example.org:53", "expected an IP address, not a host name"},
           {"127.0.0.2:99999", "invalid port"},
           {"127.0.0.2:", "invalid port"}}) {
    auto refused = Load({"--domain", "example.org", "--dns-server", bad});
    ASSERT_FALSE(refused.ok()) << bad;
    EXPECT_EQ(exit_code_, 2);
    EXPECT_EQ(refused.status().message(), "[xmpp] dns_servers \"" + bad + "\": " + why);
  }
  EXPECT_EQ(TomlError("[xmpp]\ndns_servers = \"127.0.0.2\"\n"),
            dir_.File("timd.toml") + ": key [xmpp.dns_servers]: must be an array of strings, not a string");
  EXPECT_EQ(TomlError("[xmpp]\ndns_servers = [53]\n"),
            dir_.File("timd.toml") + ": key [xmpp.dns_servers]: must hold strings only, not an integer");
}

TEST_F(ConfigTest, ApiKeysAndTcpAddressRules) {
  auto c = Load({"--config", WriteToml(R"(
[xmpp]
domain = "example.org"
[api]
tcp_listen = "127.0.0.1:7000"
allow_uids = [1000, 1001]
allow_gids = [100]
max_message_bytes = 65536
max_streams_per_connection = 10
max_subscribers_per_caller = 4
max_calls_per_caller = 20
memory_limit_mb = 32
max_threads = 4
)")});
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c.value().tcp_listen, "127.0.0.1:7000");
  EXPECT_EQ(c.value().allow_uids, (std::vector<uint32_t>{1000, 1001}));
  EXPECT_EQ(c.value().allow_gids, (std::vector<uint32_t>{100}));
  EXPECT_EQ(c.value().api_max_message_bytes, 65536u);
  EXPECT_EQ(c.value().api_max_streams_per_connection, 10u);
  EXPECT_EQ(c.value().api_max_subscribers_per_caller, 4u);
  EXPECT_EQ(c.value().api_max_calls_per_caller, 20u);
  EXPECT_EQ(c.value().api_memory_limit_mb, 32u);
  EXPECT_EQ(c.value().api_max_threads, 4u);

  auto defaults = Load({"--domain", "example.org"});
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults.value().api_max_subscribers_per_caller, 64u);
  EXPECT_EQ(defaults.value().api_max_calls_per_caller, 1024u);
  EXPECT_EQ(defaults.value().api_max_message_bytes, 4u << 20);

  auto open = Load({"--domain", "example.org", "--tcp-listen", "0.0.0.0:7000"});
  ASSERT_FALSE(open.ok());
  EXPECT_EQ(exit_code_, 2);
  EXPECT_EQ(open.status().message(),
            "[api] tcp_listen \"0.0.0.0:7000\": only loopback addresses are allowed unless [api] tls_cert and "
            "tls_key are set");
  auto half_tls = Load({"--domain", "example.org", "--tcp-listen", "0.0.0.0:7000", "--api-tls-cert", "c.pem"});
  ASSERT_FALSE(half_tls.ok());
  EXPECT_NE(half_tls.status().message().find("set both or neither"), std::string::npos);
  auto tls = Load({"--domain", "example.org", "--tcp-listen", "0.0.0.0:7000", "--api-tls-cert", "c.pem",
                   "--api-tls-key", "k.pem"});
  ASSERT_TRUE(tls.ok()) << tls.status().message();
  EXPECT_EQ(tls.value().api_tls_key, "k.pem");
  EXPECT_FALSE(Load({"--domain", "example.org", "--api-tls-cert", "c.pem", "--api-tls-key", "k.pem"}).ok());
  EXPECT_FALSE(Load({"--domain", "example.org", "--tcp-listen", "127.0.0.1"}).ok());
}

}  // namespace
}  // namespace timd
