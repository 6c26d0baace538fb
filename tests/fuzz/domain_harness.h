// The domain layer as timd runs it, for the fuzz targets: one libuv loop, a
// real SQLite state file in a temporary directory, the event bus, consumer
// cursors, Messaging and MessageHistory, logged in as alice@example.org. Built once per
// process: its state carries over from input to input, as in a daemon that
// runs for a long time. Logging is off (the targets feed it junk by design).
#pragma once

#include <uv.h>

#include <memory>
#include <string>

#include "common/loop_queue.h"
#include "domain/login_state.h"
#include "domain/message_history.h"
#include "domain/messaging.h"
#include "domain/user_ids.h"
#include "events/consumer_cursors.h"
#include "events/event_bus.h"
#include "store/database.h"
#include "store/message_store.h"
#include "store/settings.h"

namespace timd::fuzz {

inline constexpr const char* kOwnJid = "alice@example.org";

class DomainHarness {
 public:
  // The process's harness, created on first use; never destroyed (the
  // process exits with it, its directory is removed at exit).
  static DomainHarness& Get();

  domain::Messaging& messaging() { return *messaging_; }
  domain::MessageHistory& history() { return *history_; }
  store::MessageStore& store() { return *store_; }
  events::EventBus& bus() { return *bus_; }
  events::ConsumerCursors& consumers() { return *consumers_; }
  const domain::UserIds& ids() const { return ids_; }

  // Runs the loop until nothing is ready: group commits, posted tasks.
  void Turn();

 private:
  DomainHarness();

  uv_loop_t loop_;
  std::string dir_;
  std::unique_ptr<LoopQueue> queue_;
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<store::MessageStore> store_;
  std::unique_ptr<store::Settings> settings_;
  std::unique_ptr<events::EventBus> bus_;
  std::unique_ptr<events::ConsumerCursors> consumers_;
  domain::UserIds ids_{"example.org"};
  // Logged in, the store taking writes.
  struct Login final : domain::LoginState {
    explicit Login(const domain::UserIds& ids) : user_ids(ids) {}
    bool logged_in() const override { return true; }
    const std::string& store_failure() const override { return no_failure; }
    const domain::UserIds& ids() const override { return user_ids; }
    const domain::UserIds& user_ids;
    std::string no_failure;
  } login_{ids_};
  std::unique_ptr<domain::Messaging> messaging_;
  std::unique_ptr<domain::MessageHistory> history_;
};

}  // namespace timd::fuzz
