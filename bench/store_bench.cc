// Storage cost per received message: MessageStore::Insert, conversation
// bookkeeping, NEW_MESSAGES event journaling, and the commit, with 1, 10 or
// 100 messages per transaction (one loop turn's batch). Each iteration is
// one message, so the reported CPU time is per message.
//
// BM_StoreAndPublish also runs with `sync` = 1 (synchronous=NORMAL, timd's
// setting before it fsyncs every commit) next to 2 (FULL, timd's setting):
// the Time column (wall clock, including the fsync wait) shows what the
// fsync per commit costs, and how the group commit spreads it.
#include <benchmark/benchmark.h>
#include <stdlib.h>
#include <uv.h>

#include <cstdio>
#include <filesystem>
#include <random>
#include <string>

#include "common/loop_queue.h"
#include "events/event_bus.h"
#include "store/journal.h"
#include "store/message_store.h"

namespace {

using namespace timd;

class TempDb {
 public:
  TempDb() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "timd-bench-XXXXXX").string();
    if (!mkdtemp(tmpl.data())) abort();
    dir_ = tmpl;
    auto db = store::Database::Open((dir_ / "state.db").string());
    if (!db.ok()) abort();
    db_ = std::move(db).value();
  }
  ~TempDb() {
    db_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  store::Database& db() { return *db_; }

 private:
  std::filesystem::path dir_;
  std::unique_ptr<store::Database> db_;
};

// Random 128-bit hex, like the UUIDs clients and Prosody use as ids: index
// inserts land on random pages, as they do in production.
std::string RandomId() {
  static std::mt19937_64 rng(42);
  char hex[33];
  std::snprintf(hex, sizeof hex, "%016llx%016llx", static_cast<unsigned long long>(rng()),
                static_cast<unsigned long long>(rng()));
  return hex;
}

store::MessageRecord Received(uint64_t n) {
  store::MessageRecord m;
  m.conv_id = "peer" + std::to_string(n % 20) + "@example.org";
  m.sender = m.conv_id;
  m.body = "Hello there, this is message number " + std::to_string(n);
  m.elems = m.body;
  m.server_time_ms = 1700000000000 + static_cast<int64_t>(n);
  m.client_time_ms = m.server_time_ms;
  m.status = tim::v1::MSG_SEND_SUCC;
  m.sid_own = RandomId();
  m.origin_id = RandomId();
  m.raw_id = m.origin_id;
  m.msg_id = m.origin_id;
  return m;
}

tim::v1::Event NewMessageEvent(const store::MessageRecord& m) {
  tim::v1::Event event;
  auto* msg = event.mutable_new_messages()->add_messages();
  msg->set_msg_id(m.msg_id);
  msg->set_conv_id(m.conv_id);
  msg->set_conv_type(tim::v1::CONV_C2C);
  msg->set_sender(m.sender);
  auto* elem = msg->add_elems();
  elem->set_type(tim::v1::ELEM_TEXT);
  elem->mutable_text()->set_content(m.body);
  msg->set_server_time(m.server_time_ms / 1000);
  msg->set_server_time_ms(m.server_time_ms);
  msg->set_seq(m.conv_seq);
  msg->set_status(tim::v1::MSG_SEND_SUCC);
  return event;
}

// Store layer only: Insert + TouchConversation + Journal::Append + Commit.
void BM_StoreAndJournal(benchmark::State& state) {
  const int64_t batch = state.range(0);
  TempDb tmp;
  store::MessageStore messages(tmp.db());
  store::Journal journal(tmp.db());
  uint64_t n = 0;
  for (auto _ : state) {
    auto m = Received(++n);
    messages.Insert(m);
    messages.TouchConversation(m, true);
    auto event = NewMessageEvent(m);
    event.set_seq(n);
    journal.Append({n, timd::events::KindOf(event), m.server_time_ms, event.SerializeAsString()});
    if (static_cast<int64_t>(n) % batch == 0) tmp.db().Commit();
  }
  tmp.db().Commit();
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_StoreAndJournal)->Arg(1)->Arg(10)->Arg(100)->Arg(1000);

// Through the event bus: Insert + TouchConversation + Publish, with the
// bus's commit-and-deliver (Flush) once per batch and one live subscriber.
void BM_StoreAndPublish(benchmark::State& state) {
  const int64_t batch = state.range(0);
  TempDb tmp;
  tmp.db().Exec(state.range(1) == 1 ? "PRAGMA synchronous=NORMAL" : "PRAGMA synchronous=FULL");
  uv_loop_t loop;
  uv_loop_init(&loop);
  {
    LoopQueue queue(&loop);
    events::EventBus bus(&loop, tmp.db(), [&](std::function<void()> t) { return queue.Post(std::move(t)); }, {});
    auto sub = bus.Subscribe(std::nullopt, {});
    store::MessageStore messages(tmp.db());
    uint64_t n = 0;
    for (auto _ : state) {
      auto m = Received(++n);
      if (messages.Insert(m)) {
        messages.TouchConversation(m, true);
        bus.Publish(NewMessageEvent(m));
      }
      if (static_cast<int64_t>(n) % batch == 0) {
        bus.Flush();
        while (sub.value()->Pop()) {
        }
      }
    }
    bus.Flush();
    state.SetItemsProcessed(state.iterations());
  }
  uv_run(&loop, UV_RUN_NOWAIT);
  uv_loop_close(&loop);
}
BENCHMARK(BM_StoreAndPublish)
    ->ArgNames({"batch", "sync"})
    ->ArgsProduct({{1, 10, 100, 1000}, {1, 2}});

}  // namespace

BENCHMARK_MAIN();
