// Messaging on a real SQLite store and event bus, driven by hand from the
// test thread (the loop runs only when a test turns it).
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "common/loop_queue.h"
#include "domain/messaging.h"
#include "unit/store/temp_dir.h"

namespace timd::domain {

class MessagingFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(uv_loop_init(&loop_), 0);
    queue_ = std::make_unique<LoopQueue>(&loop_);
    auto db = store::Database::Open(dir_.File("state.db"));
    ASSERT_TRUE(db.ok()) << db.status().message();
    db_ = std::move(db).value();
    store_ = std::make_unique<store::MessageStore>(*db_);
    events::EventBus::Options options;
    options.min_commit_interval_ms = 0;
    bus_ = std::make_unique<events::EventBus>(
        &loop_, *db_, [q = queue_.get()](std::function<void()> task) { return q->Post(std::move(task)); }, options);
    messaging_ = std::make_unique<Messaging>(&loop_, *store_, *bus_, ids_, Messaging::Options{});
    messaging_->set_own_jid("alice@localhost");
  }

  void TearDown() override {
    messaging_.reset();
    bus_.reset();
    store_.reset();
    queue_.reset();
    uv_run(&loop_, UV_RUN_NOWAIT);
    db_.reset();
    EXPECT_EQ(uv_loop_close(&loop_), 0);
  }

  // An own message to bob that the server acknowledged, stored and committed.
  void StoreSentMessage(const std::string& msg_id) {
    store::MessageRecord r;
    r.msg_id = r.origin_id = r.raw_id = msg_id;
    r.conv_id = "bob@localhost";
    r.sender = "alice@localhost";
    r.is_from_self = true;
    r.body = "hello";
    r.status = tim::v1::MSG_SEND_SUCC;
    ASSERT_TRUE(store_->Insert(r));
    store_->TouchConversation(r, false);
    ASSERT_TRUE(bus_->Flush());
  }

  std::vector<tim::v1::Event> EventsAfterFlush(events::Subscription& sub) {
    EXPECT_TRUE(bus_->Flush());
    for (int i = 0; i < 3; ++i) uv_run(&loop_, UV_RUN_NOWAIT);
    std::vector<tim::v1::Event> out;
    while (auto e = sub.Pop()) out.push_back(*e);
    return out;
  }

  testing::TempDir dir_;
  uv_loop_t loop_{};
  std::unique_ptr<LoopQueue> queue_;
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<store::MessageStore> store_;
  std::unique_ptr<events::EventBus> bus_;
  UserIds ids_{"localhost"};
  std::unique_ptr<Messaging> messaging_;
};

}  // namespace timd::domain
