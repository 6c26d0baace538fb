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
  EXPECT_NE(zero.status().message().find("reconnect_base_ms"), std::string::npos);

  auto no_timeout = Load({"--domain", "example.org", "--send-timeout", "0"});
  ASSERT_FALSE(no_timeout.ok());
  EXPECT_EQ(exit_code_, 2);

  auto inverted = Load({"--domain", "example.org", "--reconnect-base-ms", "5000", "--reconnect-cap-ms", "1000"});
  ASSERT_FALSE(inverted.ok());
  EXPECT_EQ(exit_code_, 2);
}

}  // namespace
}  // namespace timd
