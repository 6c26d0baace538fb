// timd as real peers see it, checked with python3-slixmpp as the
// independent implementation: disco#info (XEP-0030) and the caps hash in
// its presence (XEP-0115), peers' caps verified before they are stored,
// and client state indication (XEP-0352) following the subscribed apps.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <iostream>
#include <thread>

#include "integration/interop/caps_peer.h"
#include "integration/interop/csi_state.h"
#include "support/event_reader.h"
#include "support/prosody_fixture.h"
#include "support/timd_process.h"

namespace timd::test {
namespace {

constexpr char kResource[] = "timd-caps";
constexpr char kToldInactive[] = "told the server the client is inactive";

size_t Occurrences(const std::string& text, const std::string& what) {
  size_t count = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++count;
  return count;
}

class DiscoCapsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    prosody_.Start();
    prosody_.AddUser("alice", "alicepw");
    prosody_.AddUser("bob", "bobpw");
    timd_.UseProsody(prosody_);
    timd_.LoginAs("alice", "alicepw");
    timd_.AddArgs({"--resource", kResource});
    timd_.Start();
    ASSERT_TRUE(timd_.WaitLoggedIn()) << timd_.log();
  }

  void TearDown() override {
    if (timd_.running()) timd_.Stop();  // throws unless timd exits 0 (and clean under sanitizers)
  }

  // Features timd stored for `ver` (its caps_features rows), read from its
  // SQLite file; empty when the ver is not stored.
  std::vector<std::string> StoredFeatures(const std::string& ver) {
    std::vector<std::string> features;
    sqlite3* db = nullptr;
    if (sqlite3_open_v2((timd_.state_dir() + "/timd.db").c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
      sqlite3_close(db);
      return features;
    }
    sqlite3_busy_timeout(db, 2000);
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db, "SELECT feature FROM caps_features WHERE ver = ? ORDER BY feature", -1, &stmt,
                           nullptr) == SQLITE_OK) {
      sqlite3_bind_text(stmt, 1, ver.c_str(), -1, SQLITE_TRANSIENT);
      while (sqlite3_step(stmt) == SQLITE_ROW) {
        features.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)));
      }
    }
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return features;
  }

  ProsodyServer prosody_;
  TimdProcess timd_;
};

TEST_F(DiscoCapsTest, SlixmppReadsTheDocumentedIdentityAndFeaturesAndVerifiesTheCapsHash) {
  CapsPeer peer(prosody_, "alice", "alicepw", "inspect", {"--timd-resource", kResource});
  const std::string line = peer.WaitForLine("\"presence_caps\"");
  ASSERT_FALSE(line.empty()) << peer.output() << "\n" << timd_.log();
  std::cout << "[  FIGURES ] slixmpp's view of timd: " << line << std::endl;
  EXPECT_NE(line.find(R"("identities": ["client/pc//timd"])"), std::string::npos) << line;
  EXPECT_NE(line.find(R"("features": ["http://jabber.org/protocol/caps", "http://jabber.org/protocol/disco#info", )"
                      R"("http://jabber.org/protocol/disco#items", "urn:xmpp:chat-markers:0", )"
                      R"("urn:xmpp:mds:displayed:0+notify", "urn:xmpp:message-correct:0", )"
                      R"("urn:xmpp:message-retract:1", "urn:xmpp:ping", )"
                      R"("urn:xmpp:receipts"])"),
            std::string::npos)
      << line;
  EXPECT_EQ(JsonString(line, "hash"), "sha-1") << line;
  EXPECT_EQ(JsonString(line, "node"), "urn:x-timd:caps") << line;
  EXPECT_EQ(JsonString(line, "answer_node"), "urn:x-timd:caps#" + JsonString(line, "ver")) << line;
  // slixmpp's own XEP-0115 computation over timd's answer gives the ver
  // timd announced.
  EXPECT_EQ(JsonString(line, "verified_ver"), JsonString(line, "ver")) << line;
  EXPECT_EQ(JsonString(line, "ver").size(), 28u) << line;
  EXPECT_NE(line.find(R"("same_without_node": true)"), std::string::npos) << line;
  EXPECT_NE(line.find(R"("items": 0)"), std::string::npos) << line;
}

TEST_F(DiscoCapsTest, APeersCapsAreStoredOnlyWhenTheirHashVerifies) {
  CapsPeer good(prosody_, "alice", "alicepw", "good", {"--linger", "5"});
  CapsPeer bad(prosody_, "alice", "alicepw", "bad", {"--linger", "5"});
  const std::string good_ver = JsonString(good.WaitForLine("\"ready\""), "ready");
  const std::string bad_ver = JsonString(bad.WaitForLine("\"ready\""), "ready");
  ASSERT_FALSE(good_ver.empty()) << good.output();
  ASSERT_FALSE(bad_ver.empty()) << bad.output();
  ASSERT_NE(good_ver, bad_ver);
  // timd asked both for the disco#info behind their ver.
  EXPECT_NE(JsonString(good.WaitForLine("\"queried\""), "queried"), "") << good.output() << timd_.log();
  EXPECT_NE(JsonString(bad.WaitForLine("\"queried\""), "queried"), "") << bad.output() << timd_.log();

  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  std::vector<std::string> stored;
  while (stored.empty() && std::chrono::steady_clock::now() < deadline) {
    stored = StoredFeatures(good_ver);
    if (stored.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(stored, (std::vector<std::string>{"http://jabber.org/protocol/disco#info", "urn:xmpp:chat-markers:0",
                                              "urn:xmpp:receipts"}))
      << timd_.log();
  // The bad answer is refused (and logged) rather than stored.
  const std::string refusal = "ignored caps " + bad_ver + " of alice@localhost/peer-bad: the disco#info answer "
                              "does not hash to it";
  while (timd_.log().find(refusal) == std::string::npos && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_NE(timd_.log().find(refusal), std::string::npos) << timd_.log();
  EXPECT_TRUE(StoredFeatures(bad_ver).empty());
}

TEST_F(DiscoCapsTest, ClientStateFollowsTheSubscribedAppsAndLosesNoMessage) {
  const std::string jid = std::string("alice@localhost/") + kResource;
  // No app is subscribed: inactive.
  EXPECT_TRUE(WaitForCsiState(prosody_, jid, "inactive")) << CsiStates(prosody_) << timd_.log();

  // A durable consumer attaches: active at once.
  tim::v1::SubscribeRequest request;
  request.set_consumer("durable");
  auto first = std::make_unique<EventReader>(timd_.Channel(), request);
  EXPECT_TRUE(WaitForCsiState(prosody_, jid, "active")) << CsiStates(prosody_) << timd_.log();

  // It detaches: inactive again after the coalescing delay.
  first->Cancel();
  first.reset();
  EXPECT_TRUE(WaitForCsiState(prosody_, jid, "inactive")) << CsiStates(prosody_) << timd_.log();

  CapsPeer bob(prosody_, "bob", "bobpw", "send", {"--to", "alice@localhost", "--body", "sent while inactive"});
  ASSERT_FALSE(bob.WaitForLine("\"sent\"").empty()) << bob.output();

  // Reattached, the consumer gets the message exactly once.
  EventReader second(timd_.Channel(), request);
  ASSERT_TRUE(second.WaitFor(HasTextMessage("sent while inactive"))) << timd_.log();
  EXPECT_TRUE(WaitForCsiState(prosody_, jid, "active")) << CsiStates(prosody_) << timd_.log();
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  size_t copies = 0;
  for (const auto& event : second.Events()) copies += HasTextMessage("sent while inactive")(event) ? 1 : 0;
  EXPECT_EQ(copies, 1u);

  // An app that reconnects at once does not make the state flap: no
  // <inactive/> goes out (timd logs each indication it sends).
  const size_t inactive_before = Occurrences(timd_.log(), kToldInactive);
  second.Cancel();
  EventReader third(timd_.Channel(), request);
  std::this_thread::sleep_for(std::chrono::seconds(3));  // past the 2 s delay before going inactive
  EXPECT_EQ(Occurrences(timd_.log(), kToldInactive), inactive_before) << timd_.log();
  EXPECT_TRUE(WaitForCsiState(prosody_, jid, "active")) << CsiStates(prosody_);
}

}  // namespace
}  // namespace timd::test
