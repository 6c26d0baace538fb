// Over 500 lines: every EventBus behaviour shares one fixture (loop, store,
// bus); the rollback tests belong with the commit and delivery ones.
#include "events/event_bus.h"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <thread>

#include "common/loop_queue.h"
#include "unit/store/temp_dir.h"

namespace timd::events {
namespace {

using tim::v1::Event;

Event NetworkEvent() {
  Event e;
  e.mutable_network_status()->set_status(tim::v1::NET_CONNECTED);
  return e;
}

Event LogEvent(tim::v1::LogLevel level, std::string text = "log line") {
  Event e;
  e.mutable_log()->set_level(level);
  e.mutable_log()->set_text(std::move(text));
  return e;
}

class EventBusTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(uv_loop_init(&loop_), 0);
    queue_ = std::make_unique<LoopQueue>(&loop_);
    OpenDb();
  }

  void TearDown() override {
    bus_.reset();
    queue_.reset();
    uv_run(&loop_, UV_RUN_NOWAIT);
    db_.reset();
    EXPECT_EQ(uv_loop_close(&loop_), 0);
  }

  void OpenDb() {
    auto db = store::Database::Open(dir_.File("state.db"));
    ASSERT_TRUE(db.ok()) << db.status().message();
    db_ = std::move(db).value();
  }

  // Commits every loop turn, so Turn() alone drives delivery; the pacing
  // test sets its own interval.
  static EventBus::Options EveryTurn() {
    EventBus::Options options;
    options.min_commit_interval_ms = 0;
    return options;
  }

  void MakeBus(EventBus::Options options = EveryTurn()) {
    bus_ = std::make_unique<EventBus>(
        &loop_, *db_, [q = queue_.get()](std::function<void()> task) { return q->Post(std::move(task)); },
        options);
  }

  // Runs loop iterations: commits and delivers published events, runs
  // posted refills.
  void Turn(int iterations = 3) {
    for (int i = 0; i < iterations; ++i) uv_run(&loop_, UV_RUN_NOWAIT);
  }

  // Pops everything available, turning the loop while refills are pending.
  std::vector<uint64_t> Drain(Subscription& sub) {
    std::vector<uint64_t> seqs;
    for (int idle = 0; idle < 5;) {
      if (auto e = sub.Pop()) {
        seqs.push_back(e->seq());
        idle = 0;
      } else {
        Turn(1);
        ++idle;
      }
    }
    return seqs;
  }

  static std::vector<uint64_t> Range(uint64_t first, uint64_t last) {
    std::vector<uint64_t> v;
    for (uint64_t s = first; s <= last; ++s) v.push_back(s);
    return v;
  }

  testing::TempDir dir_;
  uv_loop_t loop_{};
  std::unique_ptr<LoopQueue> queue_;
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<EventBus> bus_;
};

TEST(EventKindTest, KindFollowsPayloadField) {
  EXPECT_EQ(KindOf(Event()), tim::v1::EVENT_KIND_UNSPECIFIED);
  Event e;
  e.mutable_new_messages();
  EXPECT_EQ(KindOf(e), tim::v1::EVENT_KIND_NEW_MESSAGES);
  EXPECT_EQ(KindOf(NetworkEvent()), tim::v1::EVENT_KIND_NETWORK_STATUS);
  EXPECT_EQ(KindOf(LogEvent(tim::v1::LOG_INFO)), tim::v1::EVENT_KIND_LOG);
  e.mutable_messages_updated();
  EXPECT_EQ(KindOf(e), tim::v1::EVENT_KIND_MESSAGES_UPDATED);
}

TEST(EventKindTest, FilterAcceptsKindsAndLogLevel) {
  SubscriptionFilter all;
  EXPECT_TRUE(all.Accepts(NetworkEvent()));
  EXPECT_TRUE(all.Accepts(LogEvent(tim::v1::LOG_INFO)));
  EXPECT_FALSE(all.Accepts(LogEvent(tim::v1::LOG_DEBUG)));
  SubscriptionFilter only_log{{tim::v1::EVENT_KIND_LOG}, tim::v1::LOG_DEBUG};
  EXPECT_FALSE(only_log.Accepts(NetworkEvent()));
  EXPECT_TRUE(only_log.Accepts(LogEvent(tim::v1::LOG_DEBUG)));
  EXPECT_FALSE(only_log.Accepts(LogEvent(tim::v1::LOG_VERBOSE)));
}

TEST_F(EventBusTest, DeliversAfterCommitInOrder) {
  MakeBus();
  auto sub = bus_->Subscribe(std::nullopt, {});
  ASSERT_TRUE(sub.ok());
  int ready_calls = 0;
  sub.value()->SetReadyCallback([&] { ++ready_calls; });
  EXPECT_EQ(bus_->Publish(NetworkEvent()), 1u);
  EXPECT_EQ(bus_->Publish(NetworkEvent()), 2u);
  EXPECT_TRUE(db_->in_batch());
  EXPECT_EQ(sub.value()->Pop(), nullptr);  // not committed yet
  Turn();
  EXPECT_FALSE(db_->in_batch());
  EXPECT_EQ(ready_calls, 1);
  auto first = sub.value()->Pop();
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(first->seq(), 1u);
  EXPECT_GT(first->time_ms(), 0);
  EXPECT_TRUE(first->has_network_status());
  EXPECT_EQ(sub.value()->Pop()->seq(), 2u);
  EXPECT_EQ(sub.value()->Pop(), nullptr);
}

TEST_F(EventBusTest, GroupCommitJoinsABurstAndFlushForcesDurability) {
  EventBus::Options options;
  options.min_commit_interval_ms = 60'000;  // far longer than the test
  MakeBus(options);
  auto sub = bus_->Subscribe(std::nullopt, {});
  ASSERT_TRUE(sub.ok());

  bus_->Publish(NetworkEvent());
  Turn();  // the first write after a quiet interval commits in its own turn
  EXPECT_FALSE(db_->in_batch());
  EXPECT_EQ(Drain(*sub.value()), Range(1, 1));

  bus_->Publish(NetworkEvent());
  bus_->Publish(NetworkEvent());
  Turn();  // inside the interval: the batch stays open for more writes
  EXPECT_TRUE(db_->in_batch());
  EXPECT_EQ(sub.value()->Pop(), nullptr);

  EXPECT_TRUE(bus_->Flush());  // e.g. before a send goes on the wire
  EXPECT_FALSE(db_->in_batch());
  EXPECT_EQ(Drain(*sub.value()), Range(2, 3));
}

TEST_F(EventBusTest, APromptCommitSkipsThePacingAnAfterCommitWaitsFor) {
  EventBus::Options options;
  options.min_commit_interval_ms = 60'000;  // far longer than the test
  MakeBus(options);
  bus_->Publish(NetworkEvent());
  Turn();  // commits: the pacing interval starts now

  std::vector<bool> paced, prompt;
  bus_->Publish(NetworkEvent());
  bus_->AfterCommit([&](bool committed) { paced.push_back(committed); });
  Turn();
  EXPECT_TRUE(db_->in_batch()) << "an AfterCommit alone waits for the interval";
  EXPECT_TRUE(paced.empty());

  bus_->AfterPromptCommit([&](bool committed) { prompt.push_back(committed); });  // an app waits
  Turn();
  EXPECT_FALSE(db_->in_batch());
  EXPECT_EQ(prompt, std::vector<bool>{true});
  EXPECT_EQ(paced, std::vector<bool>{true});  // the batch's other callbacks ride along

  bus_->Publish(NetworkEvent());
  Turn();
  EXPECT_TRUE(db_->in_batch()) << "the next batch is paced again";
}

TEST_F(EventBusTest, DeferredCommitRunsFromItsTimer) {
  EventBus::Options options;
  options.min_commit_interval_ms = 20;
  MakeBus(options);
  auto sub = bus_->Subscribe(std::nullopt, {});
  ASSERT_TRUE(sub.ok());
  bus_->Publish(NetworkEvent());
  Turn();
  bus_->Publish(NetworkEvent());
  Turn();
  ASSERT_TRUE(db_->in_batch());
  // Nothing else is pending: the loop blocks in poll until the commit timer.
  for (int i = 0; i < 100 && db_->in_batch(); ++i) uv_run(&loop_, UV_RUN_ONCE);
  EXPECT_FALSE(db_->in_batch());
  EXPECT_EQ(Drain(*sub.value()), Range(1, 2));
}

TEST_F(EventBusTest, BackloggedInputKeepsTheBatchOpenLonger) {
  EventBus::Options options;
  options.min_commit_interval_ms = 20;
  options.backlog_commit_interval_ms = 60'000;  // far longer than the test
  MakeBus(options);
  bool backlogged = true;
  bus_->SetInputBacklogProbe([&backlogged] { return backlogged; });
  auto sub = bus_->Subscribe(std::nullopt, {});
  ASSERT_TRUE(sub.ok());
  bus_->Publish(NetworkEvent());
  Turn();  // the first write after a quiet interval still commits at once
  EXPECT_FALSE(db_->in_batch());

  bus_->Publish(NetworkEvent());
  const uint64_t published = uv_now(&loop_);
  // Well past the normal interval, but input keeps waiting: no commit.
  while (uv_now(&loop_) < published + 60) {
    uv_run(&loop_, UV_RUN_NOWAIT);
    uv_sleep(5);
    uv_update_time(&loop_);
  }
  EXPECT_TRUE(db_->in_batch());
  EXPECT_EQ(Drain(*sub.value()), Range(1, 1));

  backlogged = false;  // drained: the normal interval, long past, applies
  Turn(1);
  EXPECT_FALSE(db_->in_batch());
  EXPECT_EQ(Drain(*sub.value()), Range(2, 2));
}

TEST_F(EventBusTest, SeqsContinueAfterRestart) {
  MakeBus();
  bus_->Publish(NetworkEvent());
  bus_->Publish(NetworkEvent());
  bus_->Flush();
  bus_.reset();
  MakeBus();
  EXPECT_EQ(bus_->last_seq(), 2u);
  EXPECT_EQ(bus_->Publish(NetworkEvent()), 3u);
  bus_->Flush();
  auto sub = bus_->Subscribe(0, {});
  ASSERT_TRUE(sub.ok());
  EXPECT_EQ(Drain(*sub.value()), Range(1, 3));
}

TEST_F(EventBusTest, ReplayThenLiveWithoutGapOrDuplicate) {
  EventBus::Options options = EveryTurn();
  options.queue_limit = 8;
  MakeBus(options);
  for (int i = 0; i < 50; ++i) bus_->Publish(NetworkEvent());
  Turn();
  // One event journaled but not yet committed when subscribing.
  bus_->Publish(NetworkEvent());
  auto sub = bus_->Subscribe(10, {});
  ASSERT_TRUE(sub.ok()) << sub.status().message();
  EXPECT_EQ(sub.value()->queued(), 8u);

  std::vector<uint64_t> got;
  uint64_t published = 51;
  for (int round = 0; round < 1000 && got.size() < 190; ++round) {
    if (auto e = sub.value()->Pop()) got.push_back(e->seq());
    if (round % 3 == 0 && published < 200) {
      bus_->Publish(NetworkEvent());
      ++published;
    }
    Turn(1);
  }
  EXPECT_EQ(got, Range(11, 200));
}

TEST_F(EventBusTest, KindsFilterLiveAndReplay) {
  MakeBus();
  SubscriptionFilter filter{{tim::v1::EVENT_KIND_NETWORK_STATUS}, tim::v1::LOG_INFO};
  auto live = bus_->Subscribe(std::nullopt, filter);
  ASSERT_TRUE(live.ok());
  bus_->Publish(LogEvent(tim::v1::LOG_ERROR));  // 1
  bus_->Publish(NetworkEvent());                // 2
  bus_->Publish(LogEvent(tim::v1::LOG_DEBUG));  // 3
  bus_->Publish(LogEvent(tim::v1::LOG_WARN));   // 4
  bus_->Publish(NetworkEvent());                // 5
  Turn();
  EXPECT_EQ(Drain(*live.value()), (std::vector<uint64_t>{2, 5}));

  auto replay = bus_->Subscribe(0, filter);
  ASSERT_TRUE(replay.ok());
  EXPECT_EQ(Drain(*replay.value()), (std::vector<uint64_t>{2, 5}));

  auto logs = bus_->Subscribe(0, {{tim::v1::EVENT_KIND_LOG}, tim::v1::LOG_WARN});
  ASSERT_TRUE(logs.ok());
  EXPECT_EQ(Drain(*logs.value()), (std::vector<uint64_t>{1, 4}));
  bus_->Publish(LogEvent(tim::v1::LOG_INFO));  // 6: below the level
  bus_->Publish(LogEvent(tim::v1::LOG_WARN));  // 7
  Turn();
  EXPECT_EQ(Drain(*logs.value()), (std::vector<uint64_t>{7}));
}

TEST_F(EventBusTest, ReplayFiltersBeyondOneQueueOfRows) {
  EventBus::Options options = EveryTurn();
  options.queue_limit = 4;
  MakeBus(options);
  // Many rows the filter rejects by log level before the one it wants.
  for (int i = 0; i < 20; ++i) bus_->Publish(LogEvent(tim::v1::LOG_DEBUG));
  bus_->Publish(LogEvent(tim::v1::LOG_ERROR));  // 21
  Turn();
  auto sub = bus_->Subscribe(0, {});
  ASSERT_TRUE(sub.ok());
  EXPECT_EQ(Drain(*sub.value()), (std::vector<uint64_t>{21}));
}

TEST_F(EventBusTest, SinceSeqOutOfRange) {
  EventBus::Options options = EveryTurn();
  options.journal_retention = 10;
  MakeBus(options);
  for (int i = 0; i < 2000; ++i) bus_->Publish(NetworkEvent());
  Turn();
  // Trimmed at the 1000th and 2000th publish to the newest 10 rows.
  const uint64_t oldest = 1991;
  uint64_t oldest_available = 0;
  auto too_old = bus_->Subscribe(5, {}, &oldest_available);
  ASSERT_FALSE(too_old.ok());
  EXPECT_EQ(too_old.status().code(), Code::kOutOfRange);
  EXPECT_EQ(too_old.status().tim_code(), tim_err::kDatabaseNotFound);
  EXPECT_EQ(oldest_available, oldest);
  EXPECT_NE(too_old.status().message().find("1991"), std::string::npos) << too_old.status().message();

  auto edge = bus_->Subscribe(oldest - 1, {});
  ASSERT_TRUE(edge.ok()) << edge.status().message();
  EXPECT_EQ(Drain(*edge.value()), Range(oldest, 2000));

  auto too_new = bus_->Subscribe(2001, {});
  ASSERT_FALSE(too_new.ok());
  EXPECT_EQ(too_new.status().code(), Code::kOutOfRange);
  EXPECT_EQ(too_new.status().tim_code(), tim_err::kInvalidParameters);
  EXPECT_NE(too_new.status().message().find("newer than the journal head 2000"), std::string::npos);

  auto head = bus_->Subscribe(2000, {});
  ASSERT_TRUE(head.ok());
  EXPECT_TRUE(Drain(*head.value()).empty());
}

TEST_F(EventBusTest, SlowSubscriberIsBoundedAndLosesNothing) {
  EventBus::Options options = EveryTurn();
  options.queue_limit = 16;
  MakeBus(options);
  auto slow = bus_->Subscribe(std::nullopt, {});
  auto fast = bus_->Subscribe(std::nullopt, {});
  ASSERT_TRUE(slow.ok() && fast.ok());

  std::vector<uint64_t> fast_got;
  size_t max_slow_queue = 0;
  for (int turn = 0; turn < 32; ++turn) {
    for (int i = 0; i < 5; ++i) bus_->Publish(NetworkEvent());
    Turn(1);
    max_slow_queue = std::max(max_slow_queue, slow.value()->queued());
    while (auto e = fast.value()->Pop()) fast_got.push_back(e->seq());
  }
  EXPECT_EQ(fast_got, Range(1, 160));
  EXPECT_EQ(max_slow_queue, 16u);

  EXPECT_EQ(Drain(*slow.value()), Range(1, 160));
  // Caught up: live again.
  bus_->Publish(NetworkEvent());
  Turn();
  auto next = slow.value()->Pop();
  ASSERT_NE(next, nullptr);
  EXPECT_EQ(next->seq(), 161u);
}

TEST_F(EventBusTest, CancelledSubscriptionIsDropped) {
  MakeBus();
  auto sub = bus_->Subscribe(std::nullopt, {});
  ASSERT_TRUE(sub.ok());
  EXPECT_EQ(bus_->subscriber_count(), 1u);
  sub.value()->Cancel();
  EXPECT_EQ(bus_->subscriber_count(), 0u);
  bus_->Publish(NetworkEvent());
  Turn();
  EXPECT_EQ(sub.value()->Pop(), nullptr);
  EXPECT_EQ(sub.value().use_count(), 1);  // the bus let go of it
}

TEST_F(EventBusTest, CancelWaitsForAReadyCallbackInFlight) {
  MakeBus();
  auto sub = bus_->Subscribe(std::nullopt, {});
  ASSERT_TRUE(sub.ok());
  std::atomic<bool> entered{false}, finished{false};
  sub.value()->SetReadyCallback([&] {
    entered = true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    finished = true;
  });
  std::thread canceller([&] {
    while (!entered) std::this_thread::yield();
    sub.value()->Cancel();
    EXPECT_TRUE(finished);
  });
  bus_->Publish(NetworkEvent());
  Turn();
  canceller.join();
}

TEST_F(EventBusTest, CancelFromInsideTheCallbackDoesNotDeadlock) {
  MakeBus();
  auto sub = bus_->Subscribe(std::nullopt, {});
  ASSERT_TRUE(sub.ok());
  Subscription* raw = sub.value().get();
  int calls = 0;
  raw->SetReadyCallback([&] {
    ++calls;
    raw->Cancel();
  });
  bus_->Publish(NetworkEvent());
  Turn();
  bus_->Publish(NetworkEvent());
  Turn();
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(bus_->subscriber_count(), 0u);
}

TEST_F(EventBusTest, DiskFullRollsBackWithoutCrashing) {
  MakeBus();
  auto sub = bus_->Subscribe(std::nullopt, {});
  ASSERT_TRUE(sub.ok());
  EXPECT_EQ(bus_->Publish(NetworkEvent()), 1u);
  Turn();
  EXPECT_EQ(Drain(*sub.value()), Range(1, 1));

  // Freeze the database size, then write more than fits.
  db_->Exec("PRAGMA max_page_count = 1");
  EXPECT_EQ(bus_->Publish(NetworkEvent()), 2u);  // fits in existing pages
  uint64_t seq = 0;
  for (int i = 0; i < 100 && (seq = bus_->Publish(LogEvent(tim::v1::LOG_ERROR, std::string(8000, 'x')))) != 0; ++i) {
  }
  EXPECT_EQ(seq, 0u);
  EXPECT_FALSE(db_->in_batch());
  EXPECT_EQ(bus_->last_seq(), 1u);  // the whole batch was rolled back
  Turn();
  EXPECT_TRUE(Drain(*sub.value()).empty());

  db_->Exec("PRAGMA max_page_count = 1000000");
  EXPECT_EQ(bus_->Publish(NetworkEvent()), 2u);
  Turn();
  EXPECT_EQ(Drain(*sub.value()), Range(2, 2));
}

TEST_F(EventBusTest, RollbackHooksLearnOfEveryLostBatch) {
  MakeBus();
  auto sub = bus_->Subscribe(std::nullopt, {});
  ASSERT_TRUE(sub.ok());
  std::vector<std::string> losses;
  const size_t hook = bus_->AddRollbackHook([&](const std::string& why) { losses.push_back(why); });
  std::vector<bool> acks;  // an ack waiting for this turn's commit

  // A writer whose write failed aborts the turn: its events and its acks go.
  EXPECT_EQ(bus_->Publish(NetworkEvent()), 1u);
  bus_->AfterCommit([&](bool committed) { acks.push_back(committed); });
  bus_->AbortBatch("test write failed");
  Turn();
  EXPECT_TRUE(Drain(*sub.value()).empty());
  EXPECT_EQ(acks, std::vector<bool>{false});
  ASSERT_EQ(losses.size(), 1u);
  EXPECT_EQ(losses[0], "test write failed");
  EXPECT_EQ(bus_->last_seq(), 0u);

  // SQLite rolls back itself (here: a COMMIT that cannot grow the file).
  EXPECT_EQ(bus_->Publish(NetworkEvent()), 1u);
  Turn();
  EXPECT_EQ(Drain(*sub.value()), Range(1, 1));
  db_->Exec("PRAGMA max_page_count = 1");
  for (int i = 0; i < 100 && bus_->Publish(LogEvent(tim::v1::LOG_ERROR, std::string(8000, 'x'))) != 0; ++i) {
  }
  ASSERT_EQ(losses.size(), 2u);
  EXPECT_NE(losses[1].find("full"), std::string::npos) << losses[1];
  bus_->AfterCommit([&](bool committed) { acks.push_back(committed); });
  Turn();
  EXPECT_EQ(acks, (std::vector<bool>{false, true}));  // the later turn had nothing lost
  db_->Exec("PRAGMA max_page_count = 1000000");
  EXPECT_EQ(bus_->Publish(NetworkEvent()), 2u);
  Turn();
  EXPECT_EQ(Drain(*sub.value()), Range(2, 2));
  bus_->RemoveRollbackHook(hook);
}

TEST_F(EventBusTest, ABatchSQLiteEndedItselfIsReportedAtTheNextWrite) {
  MakeBus();
  auto sub = bus_->Subscribe(std::nullopt, {});
  ASSERT_TRUE(sub.ok());
  std::vector<std::string> losses;
  bus_->AddRollbackHook([&](const std::string& why) { losses.push_back(why); });
  EXPECT_EQ(bus_->Publish(NetworkEvent()), 1u);
  // As SQLite does after SQLITE_IOERR or SQLITE_NOMEM: the transaction is
  // gone while timd still thinks its batch is open.
  db_->Exec("ROLLBACK");
  EXPECT_EQ(bus_->Publish(NetworkEvent()), 1u);  // seq 1 again: the first never existed
  ASSERT_EQ(losses.size(), 1u);
  Turn();
  EXPECT_EQ(Drain(*sub.value()), Range(1, 1));
}

TEST_F(EventBusTest, TheAppCountListenerFollowsAppSubscriptionsOnly) {
  MakeBus();
  std::vector<size_t> counts;
  bus_->SetAppCountListener([&counts](size_t apps) { counts.push_back(apps); });
  auto internal = bus_->Subscribe(std::nullopt, {}, nullptr, Audience::kInternal);
  ASSERT_TRUE(internal.ok());
  EXPECT_TRUE(counts.empty());  // the daemon's own readers are nobody attending

  auto first = bus_->Subscribe(std::nullopt, {});
  auto second = bus_->Subscribe(0, {});
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(counts, (std::vector<size_t>{1, 2}));

  // A reader cancels on its own thread; the bus recounts on the loop.
  std::thread([&] { first.value()->Cancel(); }).join();
  Turn();
  EXPECT_EQ(counts, (std::vector<size_t>{1, 2, 1}));
  second.value()->Cancel();
  internal.value()->Cancel();
  Turn();
  EXPECT_EQ(counts, (std::vector<size_t>{1, 2, 1, 0}));
}

TEST_F(EventBusTest, ReaderOnAnotherThread) {
  EventBus::Options options = EveryTurn();
  options.queue_limit = 32;
  MakeBus(options);
  auto sub = bus_->Subscribe(std::nullopt, {});
  ASSERT_TRUE(sub.ok());
  std::mutex mu;
  std::condition_variable cv;
  bool ready = false;
  sub.value()->SetReadyCallback([&] {
    std::lock_guard<std::mutex> lock(mu);
    ready = true;
    cv.notify_one();
  });

  constexpr uint64_t kTotal = 3000;
  std::atomic<bool> done{false};
  std::vector<uint64_t> got;
  std::thread reader([&] {
    while (got.size() < kTotal) {
      if (auto e = sub.value()->Pop()) {
        got.push_back(e->seq());
        if (got.size() % 7 == 0) std::this_thread::sleep_for(std::chrono::microseconds(50));  // be slow
        continue;
      }
      std::unique_lock<std::mutex> lock(mu);
      cv.wait_for(lock, std::chrono::milliseconds(5), [&] { return ready; });
      ready = false;
    }
    done = true;
  });

  uint64_t published = 0;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (!done && std::chrono::steady_clock::now() < deadline) {
    for (int i = 0; i < 10 && published < kTotal; ++i, ++published) bus_->Publish(NetworkEvent());
    uv_run(&loop_, UV_RUN_NOWAIT);
  }
  if (!done) sub.value()->Cancel();  // unblock the reader on failure
  reader.join();
  ASSERT_TRUE(done);
  EXPECT_EQ(got, Range(1, kTotal));
}

}  // namespace
}  // namespace timd::events
