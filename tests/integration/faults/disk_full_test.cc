// The disk under timd's state fills up in the middle of an incoming burst,
// against a real Prosody. timd's state directory is a small tmpfs in a mount
// namespace that a holder process keeps (timd joins it with nsenter); the
// test fills that file system while bob's timd sends, then frees it.
//
// What must hold: nothing received is acknowledged to the server before it
// is committed, so the stanzas timd could not store stay with the server; an
// event says why timd went offline; and once space is back timd reconnects,
// catches up, and its store and its journal hold every message exactly once,
// even though its WAL alone outgrows the tmpfs (timd truncates it when the
// disk is full).
// Needs root (mount namespaces, tmpfs): skipped otherwise.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <memory>
#include <stdexcept>
#include <iostream>
#include <string>
#include <thread>

#include "support/event_reader.h"
#include "support/message_sets.h"
#include "support/mount_namespace.h"
#include "support/prosody_fixture.h"
#include "support/requests.h"
#include "support/temp_dir.h"
#include "support/timd_process.h"

namespace timd::test {
namespace {

using namespace std::chrono_literals;

constexpr int kBurst = 2000;
constexpr int kDatabaseFailure = 7010;  // TIM's ERR_SDK_DB_... as timd reports a store failure

// A 16 MiB tmpfs at `dir`, visible only in a mount namespace that a holder
// process keeps alive, so timd can stop and start again on the same files.
// 16 MiB is less than timd's WAL grows to before a checkpoint (32 MiB): a
// full disk must make timd give that space back.
class PrivateTmpfs {
 public:
  PrivateTmpfs(const TempDir& scratch, const std::string& dir)
      : dir_(dir), namespace_(scratch, "mount -t tmpfs -o size=16m,mode=0700 timd-state \"$0\"", {dir}) {
    if (!namespace_.ready()) throw std::runtime_error("the tmpfs holder did not start: " + namespace_.log());
  }

  std::vector<std::string> Launcher() const { return namespace_.Launcher(); }
  // Takes every free block, in a new filler file (earlier ones stay).
  void Fill() { namespace_.Run("dd if=/dev/zero of=" + dir_ + "/filler-" + std::to_string(++fillers_) + " bs=64k"); }
  bool Free() const { return namespace_.Run("rm -f " + dir_ + "/filler-*") == 0; }

 private:
  std::string dir_;
  int fillers_ = 0;
  MountNamespace namespace_;
};

bool IsStoreFailureStatus(const tim::v1::Event& e) {
  return e.has_network_status() && e.network_status().code() == kDatabaseFailure &&
         e.network_status().desc().find("local store failed") != std::string::npos;
}

class DiskFullTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::geteuid() != 0) GTEST_SKIP() << "needs root for a private mount namespace and a tmpfs";
    prosody_.Start();
    prosody_.AddUser("alice", "alice-pw");
    prosody_.AddUser("bob", "bob-pw");
    // alice's state on a small tmpfs that only her timd sees.
    tmpfs_ = std::make_unique<PrivateTmpfs>(scratch_, alice_.state_dir());
    alice_.WrapWith(tmpfs_->Launcher());
    alice_.AddArgs({"--reconnect-base-ms", "200", "--reconnect-cap-ms", "1000"});
    for (auto [timd, user] : {std::pair{&alice_, "alice"}, std::pair{&bob_, "bob"}}) {
      timd->UseProsody(prosody_);
      timd->LoginAs(user, std::string(user) + "-pw");
      timd->Start();
      ASSERT_TRUE(timd->WaitLoggedIn()) << timd->log();
    }
    // One live message gives alice an archive cursor to catch up from.
    ASSERT_TRUE(SendKeyedText(*bob_.Stubs(), "alice", "hello alice").ok());
    EventReader at_alice(alice_.Channel(), FromStart());
    ASSERT_TRUE(at_alice.WaitFor(HasTextMessage("hello alice"))) << alice_.log();
  }

  ProsodyServer prosody_;
  // timd gives back the space its WAL held (it is checkpointed only at 32
  // MiB) and may go on with it for a while, storing more: the test takes
  // that space too, until SendMessage answers UNAVAILABLE three times in a
  // row, 0.5 s apart. False when it never does within 30 s.
  bool RefusesSendsOnceFull() {
    int refused_in_a_row = 0;
    for (auto deadline = std::chrono::steady_clock::now() + 30s;
         refused_in_a_row < 3 && std::chrono::steady_clock::now() < deadline;) {
      tmpfs_->Fill();
      std::this_thread::sleep_for(500ms);
      const grpc::Status status = SendKeyedText(*alice_.Stubs(), "bob", "while full");
      refused_in_a_row = status.error_code() == grpc::StatusCode::UNAVAILABLE ? refused_in_a_row + 1 : 0;
    }
    return refused_in_a_row == 3;
  }

  TempDir scratch_{"timd-tmpfs"};
  TimdProcess alice_;
  TimdProcess bob_;
  std::unique_ptr<PrivateTmpfs> tmpfs_;
};

TEST_F(DiskFullTest, FullDiskDuringABurstLosesNothingAndCatchesUpOnceSpaceIsBack) {
  EventReader live(alice_.Channel(), FromStart());
  const auto b2a = Bodies("b2a", kBurst);
  Burst burst(bob_, "alice", ToVector(b2a));

  // Let part of the burst land, then take every free block.
  ASSERT_TRUE(WaitAllSeen([&] { return EventBodies(live, "b2a-"); }, Bodies("b2a", 200), 30s)) << alice_.log();
  tmpfs_->Fill();
  const size_t stored_when_full = EventBodies(live, "b2a-").size();

  // timd cannot commit, drops the connection without acking and says why,
  // through events it can still journal (its space reserve).
  EXPECT_TRUE(live.WaitFor(IsStoreFailureStatus, 30s)) << alice_.log();
  EXPECT_TRUE(live.WaitFor([](const tim::v1::Event& e) {
    return e.has_log() && e.log().level() == tim::v1::LOG_ERROR &&
           e.log().text().find("disconnecting without acknowledging") != std::string::npos;
  })) << alice_.log();
  burst.Join();
  EXPECT_TRUE(burst.failed().empty()) << burst.failed().size() << " of bob's sends failed";

  // While the disk stays full, timd does not go back online and refuses sends.
  EXPECT_TRUE(RefusesSendsOnceFull()) << alice_.log();
  EXPECT_NE(alice_.LoginStatus(), tim::v1::UNLOGINED);
  std::cout << "[   INFO   ] disk filled after " << stored_when_full << " of " << kBurst
            << " messages; stored by then: " << EventBodies(live, "b2a-").size() << "\n";

  // Space is back: timd reconnects by itself and fetches the rest.
  ASSERT_TRUE(tmpfs_->Free());
  auto stored = [&] { return StoredBodies(alice_, "bob", "b2a-"); };
  EXPECT_TRUE(WaitAllSeen(stored, b2a, 60s)) << ExactlyOnceDiff(stored(), b2a) << alice_.log();
  EXPECT_TRUE(WaitAllSeen([&] { return EventBodies(live, "b2a-"); }, b2a, 15s));
  std::this_thread::sleep_for(2s);  // late duplicates (offline storage, resends) would land here

  EXPECT_EQ(ExactlyOnceDiff(stored(), b2a), "") << "alice's store";
  EXPECT_EQ(ExactlyOnceDiff(EventBodies(live, "b2a-"), b2a), "") << "alice's live subscriber";
  // The journal, read from the start by a new consumer, agrees.
  EventReader replay(alice_.Channel(), FromStart());
  EXPECT_TRUE(WaitAllSeen([&] { return EventBodies(replay, "b2a-"); }, b2a, 15s));
  EXPECT_EQ(ExactlyOnceDiff(EventBodies(replay, "b2a-"), b2a), "") << "alice's journal";
  EXPECT_TRUE(SendKeyedText(*alice_.Stubs(), "bob", "after the disk was freed").ok()) << alice_.log();
}

// Logging out and stopping while the store takes no writes: neither acks
// what was not stored, and a later start on the same files fetches it.
TEST_F(DiskFullTest, LogoutAndStopOnAFullDiskLoseNothing) {
  EventReader live(alice_.Channel(), FromStart());
  tmpfs_->Fill();
  const auto b2a = Bodies("full", 100);
  {
    Burst burst(bob_, "alice", ToVector(b2a));
    burst.Join();
    ASSERT_TRUE(burst.failed().empty()) << burst.failed().size() << " of bob's sends failed";
  }
  ASSERT_TRUE(live.WaitFor(IsStoreFailureStatus, 30s)) << alice_.log();
  EXPECT_TRUE(RefusesSendsOnceFull()) << alice_.log();

  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + 10s);
  tim::v1::LogoutResponse response;
  ASSERT_TRUE(alice_.Stubs()->session->Logout(&ctx, {}, &response).ok()) << alice_.log();
  EXPECT_EQ(alice_.LoginStatus(), tim::v1::UNLOGINED);
  alice_.Stop();  // throws unless timd exits 0

  ASSERT_TRUE(tmpfs_->Free());
  alice_.Start();  // logs in again by itself (--user)
  ASSERT_TRUE(alice_.WaitLoggedIn(30s)) << alice_.log();
  auto stored = [&] { return StoredBodies(alice_, "bob", "full-"); };
  EXPECT_TRUE(WaitAllSeen(stored, b2a, 30s)) << ExactlyOnceDiff(stored(), b2a) << alice_.log();
  std::this_thread::sleep_for(2s);
  EXPECT_EQ(ExactlyOnceDiff(stored(), b2a), "") << "alice's store";
  EventReader replay(alice_.Channel(), FromStart());
  EXPECT_TRUE(WaitAllSeen([&] { return EventBodies(replay, "full-"); }, b2a, 15s));
  EXPECT_EQ(ExactlyOnceDiff(EventBodies(replay, "full-"), b2a), "") << "alice's journal";
}

}  // namespace
}  // namespace timd::test
