// Crashes in the middle of message bursts, against a real Prosody: the
// server killed during a two-way burst, timd killed while sending and while
// receiving. After recovery each side holds every message exactly once.
//
// What "sent" means here: a message counts as sent once its SendMessage
// succeeded (the server acknowledged it with XEP-0198 <a/>), or once an app
// retried a failed call with the same idempotency key after recovery, which
// is what an app does with a call that failed. The test Prosody stores
// archives and offline messages with mod_storage_internal, which appends
// each item to a file (open, write, close: util/datamanager.lua) while it
// handles the stanza, synchronously; stanzas on a stream are handled in
// order, so when the server answers our <r/> with <a/>, every message before
// it is archived for sender and recipient, in the kernel's page cache.
// `kill -9` of the server cannot lose it (a machine crash could; these tests
// do not simulate one), so the test asserts no loss at all rather than
// "no loss except what was in flight". Unacknowledged messages may or may
// not have reached the archive; the outbox resends them with the same
// origin-id and the receiving store keeps one copy.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <iostream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "support/event_reader.h"
#include "support/message_sets.h"
#include "support/prosody_fixture.h"
#include "support/requests.h"
#include "support/timd_process.h"

namespace timd::test {
namespace {

using namespace std::chrono_literals;

constexpr int kBurst = 1000;

class BurstFaultsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    prosody_.Start();
    prosody_.AddUser("alice", "alice-pw");
    prosody_.AddUser("bob", "bob-pw");
    for (auto [timd, user] : {std::pair{&alice_, "alice"}, std::pair{&bob_, "bob"}}) {
      timd->UseProsody(prosody_);
      timd->LoginAs(user, std::string(user) + "-pw");
      timd->Start();
      ASSERT_TRUE(timd->WaitLoggedIn()) << timd->log();
    }
  }

  // One live message each way gives both daemons an archive cursor, so a
  // later fresh session catches up from the archive.
  void Prime() {
    auto a = alice_.Stubs();
    auto b = bob_.Stubs();
    ASSERT_TRUE(SendKeyedText(*a, "bob", "hello bob").ok());
    ASSERT_TRUE(SendKeyedText(*b, "alice", "hello alice").ok());
    EventReader at_alice(alice_.Channel(), FromStart());
    EventReader at_bob(bob_.Channel(), FromStart());
    ASSERT_TRUE(at_alice.WaitFor(HasTextMessage("hello alice"))) << alice_.log();
    ASSERT_TRUE(at_bob.WaitFor(HasTextMessage("hello bob"))) << bob_.log();
  }

  // Every message alice sent to bob (prefix a2b) shows as sent in her history.
  void ExpectAllSent(const std::set<std::string>& bodies) {
    std::vector<std::string> sent;
    std::set<std::string> not_sent;
    auto deadline = std::chrono::steady_clock::now() + 30s;
    do {
      sent.clear();
      not_sent.clear();
      for (const auto& m : History(alice_, "bob")) {
        if (!m.is_from_self() || !bodies.count(TextOf(m))) continue;
        sent.push_back(TextOf(m));
        if (m.status() != tim::v1::MSG_SEND_SUCC) not_sent.insert(TextOf(m));
      }
    } while (!not_sent.empty() && std::chrono::steady_clock::now() < deadline &&
             (std::this_thread::sleep_for(200ms), true));
    EXPECT_EQ(ExactlyOnceDiff(sent, bodies), "") << "alice's history";
    EXPECT_TRUE(not_sent.empty()) << not_sent.size() << " not marked sent, e.g. " << *not_sent.begin();
  }

  ProsodyServer prosody_;
  TimdProcess alice_;
  TimdProcess bob_;
};

TEST_F(BurstFaultsTest, ServerKilledDuringTwoWayBurstLosesAndDoublesNothing) {
  Prime();
  EventReader at_alice(alice_.Channel(), FromStart());
  EventReader at_bob(bob_.Channel(), FromStart());
  const auto a2b = Bodies("a2b", kBurst);
  const auto b2a = Bodies("b2a", kBurst);

  const auto started = std::chrono::steady_clock::now();
  Burst from_alice(alice_, "bob", ToVector(a2b));
  Burst from_bob(bob_, "alice", ToVector(b2a));
  ASSERT_TRUE(from_alice.WaitSucceeded(kBurst / 3, 60s));
  ASSERT_TRUE(from_bob.WaitSucceeded(kBurst / 3, 60s));
  prosody_.Kill9();
  const size_t acked_before_kill = from_alice.ok().size() + from_bob.ok().size();
  std::this_thread::sleep_for(500ms);
  prosody_.Restart();
  from_alice.Join();
  from_bob.Join();
  std::cout << "[   INFO   ] server killed after " << acked_before_kill << " acknowledged sends; "
            << "failed calls: alice " << from_alice.failed().size() << ", bob " << from_bob.failed().size()
            << "; burst took "
            << std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count()
            << " ms\n";

  // The outbox holds each call until the server acknowledged it, across the
  // restart: no call may fail.
  EXPECT_TRUE(from_alice.failed().empty()) << from_alice.failed().size() << " failed, e.g. "
                                           << *from_alice.failed().begin() << "\n" << alice_.log();
  EXPECT_TRUE(from_bob.failed().empty()) << from_bob.failed().size() << " failed";

  auto at_bob_store = [&] { return StoredBodies(bob_, "alice", "a2b-"); };
  auto at_alice_store = [&] { return StoredBodies(alice_, "bob", "b2a-"); };
  EXPECT_TRUE(WaitAllSeen(at_bob_store, a2b, 30s)) << ExactlyOnceDiff(at_bob_store(), a2b) << bob_.log();
  EXPECT_TRUE(WaitAllSeen(at_alice_store, b2a, 30s)) << ExactlyOnceDiff(at_alice_store(), b2a) << alice_.log();
  EXPECT_TRUE(WaitAllSeen([&] { return EventBodies(at_bob, "a2b-"); }, a2b, 10s));
  EXPECT_TRUE(WaitAllSeen([&] { return EventBodies(at_alice, "b2a-"); }, b2a, 10s));
  std::this_thread::sleep_for(2s);  // late duplicates (offline storage, resends) would land here

  EXPECT_EQ(ExactlyOnceDiff(at_bob_store(), a2b), "") << "bob's store";
  EXPECT_EQ(ExactlyOnceDiff(at_alice_store(), b2a), "") << "alice's store";
  EXPECT_EQ(ExactlyOnceDiff(EventBodies(at_bob, "a2b-"), a2b), "") << "bob's events";
  EXPECT_EQ(ExactlyOnceDiff(EventBodies(at_alice, "b2a-"), b2a), "") << "alice's events";
  // Each side's own messages stay once in its history too (archive copies
  // of outgoing messages are the same message).
  EXPECT_EQ(ExactlyOnceDiff(StoredBodies(alice_, "bob", "a2b-"), a2b), "") << "alice's sent messages";
  EXPECT_EQ(ExactlyOnceDiff(StoredBodies(bob_, "alice", "b2a-"), b2a), "") << "bob's sent messages";
}

TEST_F(BurstFaultsTest, TimdKilledDuringOutboundBurstResendsFromTheOutboxOnce) {
  Prime();
  EventReader at_bob(bob_.Channel(), FromStart());
  const auto a2b = Bodies("a2b", kBurst);
  std::set<std::string> acked, failed;
  {
    Burst burst(alice_, "bob", ToVector(a2b));
    ASSERT_TRUE(burst.WaitSucceeded(kBurst / 3, 60s));
    alice_.Kill9();
    burst.Join();
    acked = burst.ok();
    failed = burst.failed();
  }
  ASSERT_FALSE(failed.empty());
  alice_.Start();
  ASSERT_TRUE(alice_.WaitLoggedIn()) << alice_.log();

  // Without any help from the app, the outbox sends what it had stored but
  // the server had not acknowledged; every acknowledged message is there.
  std::set<std::string> stored;
  auto deadline = std::chrono::steady_clock::now() + 30s;
  bool settled = false;
  while (!settled && std::chrono::steady_clock::now() < deadline) {
    stored.clear();
    settled = true;
    for (const auto& m : History(alice_, "bob")) {
      if (!m.is_from_self() || !a2b.count(TextOf(m))) continue;
      stored.insert(TextOf(m));
      if (m.status() != tim::v1::MSG_SEND_SUCC) settled = false;
    }
    if (!settled) std::this_thread::sleep_for(200ms);
  }
  ASSERT_TRUE(settled) << alice_.log();
  EXPECT_TRUE(std::includes(stored.begin(), stored.end(), acked.begin(), acked.end()));
  std::cout << "[   INFO   ] " << acked.size() << " acknowledged before the kill, " << stored.size() - acked.size()
            << " more stored and resent by the outbox\n";
  auto at_bob_store = [&] { return StoredBodies(bob_, "alice", "a2b-"); };
  EXPECT_TRUE(WaitAllSeen(at_bob_store, stored, 30s)) << ExactlyOnceDiff(at_bob_store(), stored);

  // The app retries its failed calls with the same keys: now all succeed,
  // and what the outbox already sent is not sent twice.
  {
    std::set<std::string> retry_failed;
    std::vector<std::string> retry(failed.begin(), failed.end());
    Burst retry_burst(alice_, "bob", retry);
    retry_burst.Join();
    retry_failed = retry_burst.failed();
    EXPECT_TRUE(retry_failed.empty()) << retry_failed.size() << " retries failed";
  }
  EXPECT_TRUE(WaitAllSeen(at_bob_store, a2b, 30s)) << ExactlyOnceDiff(at_bob_store(), a2b);
  EXPECT_TRUE(WaitAllSeen([&] { return EventBodies(at_bob, "a2b-"); }, a2b, 10s));
  std::this_thread::sleep_for(2s);
  EXPECT_EQ(ExactlyOnceDiff(at_bob_store(), a2b), "") << "bob's store";
  EXPECT_EQ(ExactlyOnceDiff(EventBodies(at_bob, "a2b-"), a2b), "") << "bob's events";
  ExpectAllSent(a2b);
}

TEST_F(BurstFaultsTest, TimdKilledDuringInboundBurstCatchesUpFromTheArchiveOnce) {
  Prime();
  const auto b2a = Bodies("b2a", kBurst);
  Burst burst(bob_, "alice", ToVector(b2a));
  ASSERT_TRUE(burst.WaitSucceeded(kBurst / 3, 60s));
  alice_.Kill9();
  std::this_thread::sleep_for(300ms);
  alice_.Start();  // while bob goes on sending
  ASSERT_TRUE(alice_.WaitLoggedIn()) << alice_.log();
  burst.Join();
  EXPECT_TRUE(burst.failed().empty()) << burst.failed().size() << " of bob's sends failed";

  EventReader at_alice(alice_.Channel(), FromStart());  // the journal survived the kill
  auto at_alice_store = [&] { return StoredBodies(alice_, "bob", "b2a-"); };
  EXPECT_TRUE(WaitAllSeen(at_alice_store, b2a, 30s)) << ExactlyOnceDiff(at_alice_store(), b2a) << alice_.log();
  EXPECT_TRUE(WaitAllSeen([&] { return EventBodies(at_alice, "b2a-"); }, b2a, 10s));
  std::this_thread::sleep_for(2s);
  EXPECT_EQ(ExactlyOnceDiff(at_alice_store(), b2a), "") << "alice's store";
  EXPECT_EQ(ExactlyOnceDiff(EventBodies(at_alice, "b2a-"), b2a), "") << "alice's events";
}

// The server's archive no longer holds timd's cursor (expired, or the
// archive was pruned): timd says so, then catches up by time instead of
// silently skipping, and what it fetches again is not doubled.
TEST_F(BurstFaultsTest, ExpiredArchiveCursorIsReportedAndCaughtUpByTime) {
  Prime();
  alice_.Stop();
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((alice_.state_dir() + "/timd.db").c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, "UPDATE settings SET value = 'expired-archive-id' WHERE key LIKE 'mam_cursor:%'",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    EXPECT_EQ(sqlite3_changes(db), 1);
    sqlite3_close(db);
  }
  const auto gap = Bodies("gap", 20);
  auto b = bob_.Stubs();
  for (const auto& body : gap) ASSERT_TRUE(SendKeyedText(*b, "alice", body).ok());
  alice_.Start();
  ASSERT_TRUE(alice_.WaitLoggedIn()) << alice_.log();

  EventReader at_alice(alice_.Channel(), FromStart());
  auto at_alice_store = [&] { return StoredBodies(alice_, "bob", "gap-"); };
  EXPECT_TRUE(WaitAllSeen(at_alice_store, gap, 30s)) << ExactlyOnceDiff(at_alice_store(), gap) << alice_.log();
  EXPECT_TRUE(at_alice.WaitFor([](const tim::v1::Event& e) {
    return e.has_log() && e.log().text().find("no longer holds message expired-archive-id") != std::string::npos;
  })) << alice_.log();
  EXPECT_TRUE(at_alice.WaitFor([](const tim::v1::Event& e) {
    return e.has_network_status() && e.network_status().status() == tim::v1::NET_CONNECTED &&
           e.network_status().desc().find("caught up") != std::string::npos;
  }));
  std::this_thread::sleep_for(1s);
  EXPECT_EQ(ExactlyOnceDiff(at_alice_store(), gap), "") << "alice's store";
  EXPECT_EQ(ExactlyOnceDiff(EventBodies(at_alice, "gap-"), gap), "") << "alice's events";
  // Fetched again by the time-based pass, stored once.
  EXPECT_EQ(ExactlyOnceDiff(StoredBodies(alice_, "bob", "hello alice"), {"hello alice"}), "");
}

// A message a killed daemon left in its outbox is not sent days late: past
// outbox_expiry it fails and never reaches the peer.
TEST_F(BurstFaultsTest, OutboxLeftoverOlderThanTheExpiryFailsAndIsNotSent) {
  Prime();
  alice_.AddArgs({"--outbox-expiry", "2"});  // for the restart below
  prosody_.Stop();
  std::thread stale_send([&] { SendKeyedText(*alice_.Stubs(), "bob", "stale"); });  // waits: no server
  auto stored_as_sending = [&] {
    for (const auto& m : History(alice_, "bob")) {
      if (TextOf(m) == "stale" && m.status() == tim::v1::MSG_SENDING) return true;
    }
    return false;
  };
  bool stored = false;
  for (auto deadline = std::chrono::steady_clock::now() + 10s; !stored && std::chrono::steady_clock::now() < deadline;
       std::this_thread::sleep_for(50ms)) {
    stored = stored_as_sending();
  }
  alice_.Kill9();
  stale_send.join();
  ASSERT_TRUE(stored) << alice_.log();
  std::this_thread::sleep_for(2500ms);  // older than the expiry now

  prosody_.Restart();
  alice_.Start();
  ASSERT_TRUE(alice_.WaitLoggedIn()) << alice_.log();
  ASSERT_TRUE(bob_.WaitLoggedIn(30s)) << bob_.log();
  tim::v1::MsgStatus status = tim::v1::MSG_SENDING;
  for (auto deadline = std::chrono::steady_clock::now() + 15s;
       status == tim::v1::MSG_SENDING && std::chrono::steady_clock::now() < deadline;
       std::this_thread::sleep_for(100ms)) {
    for (const auto& m : History(alice_, "bob")) {
      if (TextOf(m) == "stale") status = m.status();
    }
  }
  EXPECT_EQ(status, tim::v1::MSG_SEND_FAIL) << alice_.log();
  EXPECT_NE(alice_.log().find("expired in the outbox"), std::string::npos) << alice_.log();

  // The link works, and what bob got does not include the stale message.
  ASSERT_TRUE(SendKeyedText(*alice_.Stubs(), "bob", "fresh").ok()) << alice_.log();
  auto at_bob = [&] { return StoredBodies(bob_, "alice", ""); };
  EXPECT_TRUE(WaitAllSeen(at_bob, {"fresh"}, 15s)) << bob_.log();
  const auto bodies = at_bob();
  EXPECT_EQ(std::count(bodies.begin(), bodies.end(), "stale"), 0);
}

}  // namespace
}  // namespace timd::test
