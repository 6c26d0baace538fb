// Proves the Prosody fixture itself: TLS with the fixture's CA, accounts,
// stop/kill/restart, and independent parallel instances.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <set>
#include <string>

#include "support/prosody_fixture.h"
#include "support/temp_dir.h"

namespace timd::test {
namespace {

std::string Base64(const std::string& in) {
  static const char* kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    unsigned v = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8) | uint8_t(in[i + 2]);
    for (int s = 18; s >= 0; s -= 6) out += kAlphabet[(v >> s) & 63];
  }
  if (i + 1 == in.size()) {
    unsigned v = uint8_t(in[i]) << 16;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += "==";
  } else if (i + 2 == in.size()) {
    unsigned v = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += '=';
  }
  return out;
}

std::string RunCapture(const std::string& cmd) {
  std::string out;
  FILE* p = ::popen((cmd + " 2>&1").c_str(), "r");
  if (!p) return out;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
  ::pclose(p);
  return out;
}

// Opens direct TLS verified against the fixture CA and host name "localhost",
// then tries SASL PLAIN. Returns openssl's output including the server's XML.
std::string DirectTlsLogin(const ProsodyServer& prosody, const std::string& user,
                           const std::string& password) {
  TempDir tmp("timd-tls-probe");
  std::string input = tmp.File("in.xml");
  WriteFile(input,
            "<?xml version='1.0'?><stream:stream to='localhost' xmlns='jabber:client' "
            "xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>"
            "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>" +
                Base64(std::string(1, '\0') + user + std::string(1, '\0') + password) +
                "</auth></stream:stream>");
  return RunCapture("timeout 10 openssl s_client -connect 127.0.0.1:" +
                    std::to_string(prosody.direct_tls_port()) +
                    " -servername localhost -verify_hostname localhost -verify_return_error"
                    " -CAfile " + prosody.ca_file() + " -ign_eof < " + input);
}

TEST(ProsodyFixtureTest, DirectTlsVerifiesWithFixtureCaAndUserLogsIn) {
  ProsodyServer prosody;
  prosody.Start();
  prosody.AddUser("alice", "secret pw");

  std::string ok = DirectTlsLogin(prosody, "alice", "secret pw");
  EXPECT_NE(ok.find("Verify return code: 0 (ok)"), std::string::npos) << ok;
  EXPECT_NE(ok.find("<success"), std::string::npos) << ok;

  std::string bad = DirectTlsLogin(prosody, "alice", "wrong");
  EXPECT_NE(bad.find("not-authorized"), std::string::npos) << bad;
}

TEST(ProsodyFixtureTest, StartTlsVerifiesWithFixtureCa) {
  ProsodyServer prosody;
  prosody.Start();
  std::string out = RunCapture(
      "timeout 10 openssl s_client -starttls xmpp -xmpphost localhost -connect 127.0.0.1:" +
      std::to_string(prosody.c2s_port()) +
      " -verify_hostname localhost -verify_return_error -CAfile " + prosody.ca_file() +
      " < /dev/null");
  EXPECT_NE(out.find("Verify return code: 0 (ok)"), std::string::npos) << out;
}

TEST(ProsodyFixtureTest, StopKillAndRestartKeepPortsAndData) {
  ProsodyServer prosody;
  prosody.Start();
  prosody.AddUser("bob", "bobpw");
  const uint16_t port = prosody.c2s_port();

  prosody.Kill9();
  EXPECT_FALSE(prosody.running());
  EXPECT_FALSE(PortAccepts(port));

  prosody.Restart();
  EXPECT_EQ(prosody.c2s_port(), port);
  EXPECT_TRUE(PortAccepts(port));
  EXPECT_NE(DirectTlsLogin(prosody, "bob", "bobpw").find("<success"), std::string::npos);

  prosody.Stop();  // throws unless prosody exits 0
  EXPECT_FALSE(PortAccepts(port));
}

TEST(ProsodyFixtureTest, ParallelFixturesAreIndependent) {
  ProsodyServer a;
  ProsodyServer b;
  a.Start();
  b.Start();
  std::set<uint16_t> ports{a.c2s_port(), a.direct_tls_port(), a.http_port(),
                           b.c2s_port(), b.direct_tls_port(), b.http_port()};
  EXPECT_EQ(ports.size(), 6u);
  EXPECT_NE(a.dir(), b.dir());
  EXPECT_TRUE(PortAccepts(a.c2s_port()));
  EXPECT_TRUE(PortAccepts(b.c2s_port()));

  a.AddUser("carol", "pw");
  EXPECT_NE(DirectTlsLogin(a, "carol", "pw").find("<success"), std::string::npos);
  EXPECT_NE(DirectTlsLogin(b, "carol", "pw").find("not-authorized"), std::string::npos);
}

}  // namespace
}  // namespace timd::test
