// EndpointLocator against a real DNS server (dnsmasq on loopback): the
// order it hands out endpoints, both address families, and the bounds
// that keep a hostile answer (hundreds of records, many addresses,
// unresolvable targets) to a few attempts.
#include "xmpp/endpoint_locator.h"

#include <gtest/gtest.h>
#include <uv.h>

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "support/dns_server.h"

namespace timd::xmpp {
namespace {

using namespace std::chrono_literals;

constexpr char kService[] = "_xmpp-client._tcp.srv.test";

class EndpointLocatorTest : public ::testing::Test {
 protected:
  void SetUp() override { uv_loop_init(&loop_); }
  void TearDown() override {
    uv_run(&loop_, UV_RUN_DEFAULT);  // lets closing handles finish
    EXPECT_EQ(uv_loop_close(&loop_), 0);
  }

  // Takes every endpoint (reporting each as failed) until none is left;
  // `why` gets the locator's final word.
  // `servers` default to the test's dnsmasq.
  std::vector<Endpoint> Drain(LocatorLimits limits, std::string* why, std::vector<std::string> servers = {}) {
    if (servers.empty()) servers = {dns_.address()};
    EndpointLocator locator(&loop_, "srv.test", servers, 5222, limits);
    std::vector<Endpoint> got;
    bool finished = false;
    std::function<void()> ask = [&] {
      locator.Next([&](const Endpoint* endpoint, const std::string& reason) {
        if (endpoint == nullptr) {
          *why = reason;
          finished = true;
          return;
        }
        got.push_back(*endpoint);
        locator.Failed("not connecting in this test");
        ask();
      });
    };
    ask();
    const auto deadline = std::chrono::steady_clock::now() + 15s;
    while (!finished && std::chrono::steady_clock::now() < deadline) uv_run(&loop_, UV_RUN_ONCE);
    EXPECT_TRUE(finished) << "the locator did not finish within 15 s";
    return got;
  }

  uv_loop_t loop_;
  test::DnsServer dns_;
};

TEST_F(EndpointLocatorTest, HundredsOfRecordsCostAtMostMaxTargetsAttempts) {
  // 300 records do not fit a UDP answer: c-ares retries over TCP.
  for (int i = 0; i < 300; ++i) {
    dns_.AddSrv(kService, "t" + std::to_string(i) + ".srv.test", static_cast<uint16_t>(1000 + i),
                static_cast<uint16_t>(i));
  }
  for (int i = 0; i < 10; ++i) dns_.AddAddress("t" + std::to_string(i) + ".srv.test", "127.0.0.1");
  dns_.Start();

  std::string why;
  LocatorLimits limits;
  auto got = Drain(limits, &why);
  ASSERT_EQ(got.size(), limits.srv.max_targets);
  for (size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].target, "t" + std::to_string(i) + ".srv.test");
    EXPECT_EQ(got[i].port, 1000 + i);
    EXPECT_EQ(got[i].address, "127.0.0.1");
    EXPECT_TRUE(got[i].from_srv);
  }
  EXPECT_NE(why.find("no server of srv.test could be reached: t0.srv.test 127.0.0.1:1000 (STARTTLS, from SRV): "
                     "not connecting in this test"),
            std::string::npos)
      << why;
}

TEST_F(EndpointLocatorTest, AddressesPerTargetAndAttemptsAreCapped) {
  for (const char* target : {"a.srv.test", "b.srv.test"}) {
    dns_.AddSrv(kService, target, 5222, target[0] == 'a' ? 0 : 1);
    for (int i = 1; i <= 6; ++i) dns_.AddAddress(target, "127.0.1." + std::to_string(i));
  }
  dns_.Start();

  std::string why;
  LocatorLimits limits;
  limits.max_addresses_per_target = 4;
  limits.max_attempts = 6;
  auto got = Drain(limits, &why);
  ASSERT_EQ(got.size(), 6u);
  for (size_t i = 0; i < 4; ++i) EXPECT_EQ(got[i].target, "a.srv.test");
  for (size_t i = 4; i < 6; ++i) EXPECT_EQ(got[i].target, "b.srv.test");
  EXPECT_NE(why.find("gave up on srv.test after 6 endpoints"), std::string::npos) << why;
}

TEST_F(EndpointLocatorTest, BothFamiliesAlternate) {
  dns_.AddSrv(kService, "dual.srv.test", 5222, 0);
  for (const char* ip : {"127.0.0.1", "127.0.0.2", "::1", "fd00::2"}) dns_.AddAddress("dual.srv.test", ip);
  dns_.Start();

  std::string why;
  auto got = Drain({}, &why);
  ASSERT_EQ(got.size(), 4u);
  for (size_t i = 1; i < got.size(); ++i) {
    const bool v6 = got[i].address.find(':') != std::string::npos;
    const bool previous_v6 = got[i - 1].address.find(':') != std::string::npos;
    EXPECT_NE(v6, previous_v6) << got[i - 1].address << " then " << got[i].address;
  }
}

TEST_F(EndpointLocatorTest, UnresolvableTargetsAreNotedAndSkipped) {
  dns_.AddSrv(kService, "nowhere.srv.test", 5222, 0);
  dns_.AddSrv(kService, "there.srv.test", 5269, 1);
  dns_.AddAddress("there.srv.test", "127.0.0.1");
  dns_.Start();

  std::string why;
  auto got = Drain({}, &why);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].target, "there.srv.test");
  EXPECT_NE(why.find("nowhere.srv.test:5222 (STARTTLS, from SRV): cannot resolve nowhere.srv.test"),
            std::string::npos)
      << why;
}

TEST_F(EndpointLocatorTest, NoRecordsGiveTheDomainOnPort5222) {
  dns_.AddAddress("srv.test", "127.0.0.9");
  dns_.Start();

  std::string why;
  auto got = Drain({}, &why);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].target, "srv.test");
  EXPECT_EQ(got[0].address, "127.0.0.9");
  EXPECT_EQ(got[0].port, 5222);
  EXPECT_FALSE(got[0].from_srv);
  EXPECT_FALSE(got[0].direct_tls);
}

TEST_F(EndpointLocatorTest, ADeadDnsServerEndsTheAttemptWithoutFallback) {
  // Nothing answers on this address: the lookup fails, which is not "no records".
  std::string why;
  EXPECT_TRUE(Drain({}, &why, {test::FreeLoopbackAddress(53) + ":53"}).empty());
  EXPECT_NE(why.find("the DNS lookup of the SRV records of srv.test failed"), std::string::npos) << why;
}

}  // namespace
}  // namespace timd::xmpp
