// The event bus: gives every event its durable seq, journals it, and fans it
// out to subscribers only after the journal write is committed.
//
// Threading: Publish, Subscribe and the refill logic run on the loop thread.
// A Subscription's queue is the only object shared with a reader thread (the
// gRPC stream); it is guarded by its own mutex.
//
// Slow readers: each subscription's queue holds at most `queue_limit` events.
// When a live event finds the queue full, the subscription switches to
// replay mode and drops live events; when its reader has drained the queue,
// the bus refills it from the journal (after the last seq it enqueued) until
// it reaches the head, then switches it back to live. Memory per subscriber
// is bounded and a slow reader never blocks the loop or other readers.
#pragma once

#include <uv.h>

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <google/protobuf/arena.h>

#include "common/log_throttle.h"
#include "common/status.h"
#include "store/database.h"
#include "store/journal.h"
#include "tim/v1/common.pb.h"
#include "tim/v1/events.pb.h"

namespace timd::events {

using EventPtr = std::shared_ptr<const tim::v1::Event>;

// An event built in its own protobuf arena: a few blocks instead of one
// allocation per field, freed at once by whichever thread drops the last
// reference (often a gRPC thread, which would otherwise free field by field
// into the loop thread's malloc arena). For large events such as a turn's
// NewMessages.
class ArenaEvent {
 public:
  ArenaEvent();
  tim::v1::Event& operator*() const { return *event_; }
  tim::v1::Event* operator->() const { return event_; }

 private:
  friend class EventBus;
  std::shared_ptr<google::protobuf::Arena> arena_;
  tim::v1::Event* event_;
};

int KindOf(const tim::v1::Event& event);  // tim::v1::EventKind number

class EventBus;

// Who reads a subscription: a local app (through Subscribe), or the daemon
// itself (e.g. the systemd notifier). Only apps count as someone attending
// to the events (see EventBus::SetAppCountListener).
enum class Audience { kApp, kInternal };

struct SubscriptionFilter {
  std::set<int> kinds;      // empty = all
  int min_log_level = 4;    // tim::v1::LogLevel for LOG events
  bool Accepts(const tim::v1::Event& event) const;
};

class Subscription {
 public:
  // Reader side (any thread). Pops the next event, or nullptr when none is
  // queued right now; `on_ready` (set by the reader) fires when one arrives
  // in an empty queue (at once if events are queued already). It may run on
  // the loop thread and must not block.
  EventPtr Pop();
  void SetReadyCallback(std::function<void()> on_ready);
  // Reader side: stop delivering; the bus forgets the subscription. Once it
  // returns, `on_ready` is neither running (unless Cancel is called from
  // inside it) nor called again.
  void Cancel();

  uint64_t id() const { return id_; }
  size_t queued();  // events waiting in the queue (any thread)

 private:
  friend class EventBus;
  Subscription(uint64_t id, SubscriptionFilter filter, size_t queue_limit, Audience audience)
      : id_(id), filter_(std::move(filter)), queue_limit_(queue_limit), audience_(audience) {}

  const uint64_t id_;
  const SubscriptionFilter filter_;
  const size_t queue_limit_;
  const Audience audience_;

  std::mutex mu_;
  std::deque<EventPtr> queue_;
  std::function<void()> on_ready_;
  bool cancelled_ = false;
  // Loop-thread state (guarded by mu_ too, as the reader triggers refills).
  bool live_ = false;            // false: being served from the journal
  bool refill_pending_ = false;
  uint64_t last_enqueued_seq_ = 0;
  std::function<void()> request_refill_;  // posts a refill to the loop
  std::function<void()> on_cancel_;       // posts the bus's recount to the loop
  // An on_ready call in flight (outside mu_); Cancel() waits for it.
  int notifying_ = 0;
  std::thread::id notifier_;
  std::condition_variable notify_done_;

  // Loop thread, with mu_ held: takes the callback for a notification.
  std::function<void()> BeginNotifyLocked();
  // Loop thread, without mu_: runs it.
  void Notify(const std::function<void()>& on_ready);
};

class EventBus {
 public:
  struct Options {
    size_t queue_limit = 1024;         // per subscriber
    size_t journal_retention = 1000000;  // events kept in the journal
    // Group commit: while writes keep coming, commit at most once per this
    // interval, so a burst shares one transaction, one WAL append and one
    // event per kind instead of paying them per message. The first write
    // after a quiet interval still commits in its own loop turn. 0 = every turn.
    uint64_t min_commit_interval_ms = 20;
    // While the input probe (SetInputBacklogProbe) reports more input
    // already waiting, e.g. a server delivering a stored backlog, the batch
    // stays open up to this long: committing in between would only rewrite
    // the same index pages (and wake subscribers) once more per interval.
    uint64_t backlog_commit_interval_ms = 100;
  };

  // `post_to_loop` must run a task on the loop thread (LoopQueue::Post).
  EventBus(uv_loop_t* loop, store::Database& db, std::function<bool(std::function<void()>)> post_to_loop,
           Options options);
  ~EventBus();

  // Loop thread. Assigns seq and time, writes the journal row inside the
  // current write batch, and schedules fan-out after this turn's commit.
  // Returns the seq, or 0 when the journal write failed: the error is
  // logged and the turn's whole batch is rolled back.
  uint64_t Publish(tim::v1::Event event);
  uint64_t Publish(ArenaEvent event);

  // Loop thread. `since_seq` absent: live from now. Present: replay rows
  // with seq > since_seq first. Fails with kOutOfRange when since_seq is
  // older than the journal retains (tim_code 7011; message names the oldest
  // seq, also returned through `oldest_available`) or newer than the head
  // (tim_code 6017).
  Result<std::shared_ptr<Subscription>> Subscribe(std::optional<uint64_t> since_seq,
                                                  SubscriptionFilter filter,
                                                  uint64_t* oldest_available = nullptr,
                                                  Audience audience = Audience::kApp);

  // Loop thread. `listener(count)` runs on the loop thread whenever the
  // number of open app subscriptions changes (a cancelled one is counted
  // out within a loop turn of Cancel). Empty = none.
  void SetAppCountListener(std::function<void(size_t count)> listener);

  // Loop thread. Commits the open batch and delivers its events; false when
  // the commit failed and the batch was rolled back. Runs automatically
  // (see Options::min_commit_interval_ms); callable any time, e.g. to make a
  // write durable before acting on it.
  bool Flush();

  // Loop thread. `hook` runs at the start of every Flush, before the commit:
  // producers that coalesce a loop turn's facts into one event publish it
  // there (one NewMessages array per turn instead of one event per message).
  // Returns a handle for RemovePreCommitHook.
  size_t AddPreCommitHook(std::function<void()> hook);
  void RemovePreCommitHook(size_t handle);
  // Loop thread. Makes sure a Flush runs in this loop turn even when nothing
  // has been published yet (for producers that publish from a hook).
  void RequestFlush();
  // Loop thread. `done` runs at the end of this turn's Flush: true once the
  // turn's writes are committed, false when the batch was rolled back.
  void AfterCommit(std::function<void(bool committed)> done);
  // Loop thread. As AfterCommit, but someone is waiting for `done` (an
  // app's call): the commit comes at the end of this turn, not after the
  // pacing interval that lets a burst of writes share one fsync.
  void AfterPromptCommit(std::function<void(bool committed)> done);
  // Loop thread. Rolls back the open batch, for a writer whose write failed
  // mid-turn (SQLITE_FULL, SQLITE_IOERR, a constraint): none of the turn's
  // rows, events or acks may survive half done. `why` names the failure.
  void AbortBatch(const std::string& why);
  // Loop thread. `hook(why)` runs whenever a batch is lost: by AbortBatch,
  // a failed COMMIT, or SQLite ending the transaction itself after an
  // error. The batch's events were never delivered and its AfterCommit
  // callbacks ran with false. Returns a handle for RemoveRollbackHook.
  size_t AddRollbackHook(std::function<void(const std::string& why)> hook);
  void RemoveRollbackHook(size_t handle);
  // Loop thread. `probe` answers whether more input is already waiting to
  // be processed (see Options::backlog_commit_interval_ms); empty = never.
  void SetInputBacklogProbe(std::function<bool()> probe);

  uint64_t last_seq() const { return last_seq_; }
  uint64_t committed_seq() const { return committed_seq_; }
  size_t subscriber_count() const;

 private:
  // Publish's common part: journals `*event` and queues it for delivery.
  uint64_t Append(tim::v1::Event& event, EventPtr shared);
  void Deliver(const EventPtr& event);
  void Refill(const std::shared_ptr<Subscription>& sub);
  void ScheduleRefill(const std::shared_ptr<Subscription>& sub);
  // Forgets cancelled subscriptions and reports a changed app count.
  void Recount();
  // The database lost the open batch (see AddRollbackHook).
  void OnBatchLost();
  void RunAfterCommit(bool committed);
  bool HasUncommittedWork() const;
  // From the check handle: flush now, or arm commit_timer_ while pacing.
  void FlushOrDefer();
  static void OnCheck(uv_check_t* handle);

  uv_loop_t* loop_;
  store::Database& db_;
  store::Journal journal_;
  std::function<bool(std::function<void()>)> post_to_loop_;
  Options options_;
  uv_check_t* check_;  // heap-owned: closes asynchronously
  uv_idle_t* idle_;    // active while events wait: keeps the loop from blocking in poll
  uv_timer_t* commit_timer_;  // a deferred group commit
  uint64_t commit_timer_due_ = 0;  // uv_now() it fires at, while active
  std::function<bool()> input_backlogged_;
  uint64_t last_commit_ms_ = 0;  // uv_now() of the last commit
  bool prompt_commit_ = false;    // AfterPromptCommit: no pacing for this batch
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);  // expires with the bus
  uint64_t last_seq_ = 0;       // last assigned
  uint64_t committed_seq_ = 0;  // last durable and delivered
  uint64_t next_sub_id_ = 1;
  std::vector<EventPtr> pending_;  // journaled in the open batch, not yet delivered
  std::vector<std::shared_ptr<Subscription>> subs_;
  std::function<void(size_t)> app_count_listener_;
  size_t app_count_ = 0;  // as last reported
  uint64_t publishes_since_trim_ = 0;
  std::map<size_t, std::function<void()>> pre_commit_hooks_;
  size_t next_hook_ = 1;
  std::vector<std::function<void(bool)>> after_commit_;
  std::map<size_t, std::function<void(const std::string&)>> rollback_hooks_;
  size_t batch_listener_ = 0;  // in db_
  std::string loss_reason_;    // set by AbortBatch for the OnBatchLost it causes
  LogThrottle loss_log_;
};

}  // namespace timd::events
