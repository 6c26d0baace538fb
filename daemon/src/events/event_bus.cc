#include "events/event_bus.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <utility>

#include "common/clock.h"

namespace timd::events {
namespace {

constexpr uint64_t kTrimEvery = 1000;  // publishes between journal trims

int64_t NowMs() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace

int KindOf(const tim::v1::Event& event) {
  // Payload field numbers start at 10 for NEW_MESSAGES = 1.
  const int field = static_cast<int>(event.payload_case());
  return field == tim::v1::Event::PAYLOAD_NOT_SET ? tim::v1::EVENT_KIND_UNSPECIFIED : field - 9;
}

bool SubscriptionFilter::Accepts(const tim::v1::Event& event) const {
  if (!kinds.empty() && !kinds.contains(KindOf(event))) return false;
  if (event.has_log()) {
    const int min_level = min_log_level == tim::v1::LOG_OFF ? tim::v1::LOG_INFO : min_log_level;
    return event.log().level() >= min_level;
  }
  return true;
}

// --- Subscription (reader side) ---------------------------------------------

EventPtr Subscription::Pop() {
  EventPtr event;
  std::function<void()> refill;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (cancelled_) return nullptr;
    if (!queue_.empty()) {
      event = std::move(queue_.front());
      queue_.pop_front();
    }
    if (queue_.empty() && !live_ && !refill_pending_ && request_refill_) {
      refill_pending_ = true;
      refill = request_refill_;
    }
  }
  if (refill) refill();
  return event;
}

void Subscription::SetReadyCallback(std::function<void()> on_ready) {
  std::function<void()> notify;
  {
    std::lock_guard<std::mutex> lock(mu_);
    on_ready_ = std::move(on_ready);
    if (!queue_.empty()) notify = on_ready_;
  }
  if (notify) notify();
}

size_t Subscription::queued() {
  std::lock_guard<std::mutex> lock(mu_);
  return queue_.size();
}

void Subscription::Cancel() {
  std::unique_lock<std::mutex> lock(mu_);
  cancelled_ = true;
  queue_.clear();
  on_ready_ = nullptr;
  request_refill_ = nullptr;
  std::function<void()> on_cancel = std::exchange(on_cancel_, nullptr);
  if (notifying_ > 0 && notifier_ != std::this_thread::get_id()) {
    notify_done_.wait(lock, [this] { return notifying_ == 0; });
  }
  lock.unlock();
  if (on_cancel) on_cancel();
}

std::function<void()> Subscription::BeginNotifyLocked() {
  if (!on_ready_) return nullptr;
  ++notifying_;
  notifier_ = std::this_thread::get_id();
  return on_ready_;
}

void Subscription::Notify(const std::function<void()>& on_ready) {
  if (!on_ready) return;
  on_ready();
  std::lock_guard<std::mutex> lock(mu_);
  if (--notifying_ == 0) notify_done_.notify_all();
}

// --- EventBus ----------------------------------------------------------------

EventBus::EventBus(uv_loop_t* loop, store::Database& db, std::function<bool(std::function<void()>)> post_to_loop,
                   Options options)
    : loop_(loop),
      db_(db),
      journal_(db),
      post_to_loop_(std::move(post_to_loop)),
      options_(options),
      check_(new uv_check_t),
      idle_(new uv_idle_t),
      commit_timer_(new uv_timer_t) {
  last_seq_ = committed_seq_ = journal_.LastSeq();
  uv_check_init(loop_, check_);
  check_->data = this;
  uv_check_start(check_, &EventBus::OnCheck);
  uv_unref(reinterpret_cast<uv_handle_t*>(check_));
  uv_idle_init(loop_, idle_);
  uv_timer_init(loop_, commit_timer_);
  commit_timer_->data = this;
  batch_listener_ = db_.AddBatchListener({nullptr, [this] { OnBatchLost(); }});
}

EventBus::~EventBus() {
  db_.RemoveBatchListener(batch_listener_);
  for (auto& sub : subs_) {
    std::lock_guard<std::mutex> lock(sub->mu_);
    sub->request_refill_ = nullptr;
  }
  uv_check_stop(check_);
  check_->data = nullptr;
  uv_close(reinterpret_cast<uv_handle_t*>(check_), [](uv_handle_t* h) { delete reinterpret_cast<uv_check_t*>(h); });
  uv_idle_stop(idle_);
  uv_close(reinterpret_cast<uv_handle_t*>(idle_), [](uv_handle_t* h) { delete reinterpret_cast<uv_idle_t*>(h); });
  uv_timer_stop(commit_timer_);
  commit_timer_->data = nullptr;
  uv_close(reinterpret_cast<uv_handle_t*>(commit_timer_),
           [](uv_handle_t* h) { delete reinterpret_cast<uv_timer_t*>(h); });
}

void EventBus::OnCheck(uv_check_t* handle) {
  if (auto* bus = static_cast<EventBus*>(handle->data)) bus->FlushOrDefer();
}

bool EventBus::HasUncommittedWork() const {
  return db_.in_batch() || !pending_.empty() || !after_commit_.empty();
}

void EventBus::FlushOrDefer() {
  if (!HasUncommittedWork() || prompt_commit_) {
    Flush();
    return;
  }
  const uint64_t now = uv_now(loop_);
  const bool backlogged = input_backlogged_ && input_backlogged_();
  const uint64_t due = last_commit_ms_ + (backlogged ? std::max(options_.backlog_commit_interval_ms,
                                                                 options_.min_commit_interval_ms)
                                                     : options_.min_commit_interval_ms);
  if (now >= due) {
    Flush();
    return;
  }
  // Busy: let more writes join this batch. The loop may block in poll now;
  // the timer ends the wait.
  uv_idle_stop(idle_);
  if (!uv_is_active(reinterpret_cast<uv_handle_t*>(commit_timer_)) || commit_timer_due_ != due) {
    commit_timer_due_ = due;
    uv_timer_start(
        commit_timer_,
        [](uv_timer_t* timer) {
          if (auto* bus = static_cast<EventBus*>(timer->data)) bus->Flush();
        },
        due - now, 0);
  }
}

void EventBus::SetInputBacklogProbe(std::function<bool()> probe) { input_backlogged_ = std::move(probe); }

ArenaEvent::ArenaEvent() {
  google::protobuf::ArenaOptions options;
  options.start_block_size = 4096;
  options.max_block_size = 65536;
  arena_ = std::make_shared<google::protobuf::Arena>(options);
  event_ = google::protobuf::Arena::CreateMessage<tim::v1::Event>(arena_.get());
}

uint64_t EventBus::Publish(tim::v1::Event event) {
  auto shared = std::make_shared<tim::v1::Event>(std::move(event));
  tim::v1::Event& stored = *shared;
  return Append(stored, std::move(shared));
}

uint64_t EventBus::Publish(ArenaEvent event) {
  tim::v1::Event& stored = *event.event_;
  return Append(stored, EventPtr(std::move(event.arena_), event.event_));
}

uint64_t EventBus::Append(tim::v1::Event& event, EventPtr shared) {
  uint64_t seq = 0;
  try {
    // Open the batch first: finding the previous one lost resets last_seq_.
    db_.Touch();
    seq = ++last_seq_;
    event.set_seq(seq);
    event.set_time_ms(NowMs());
    journal_.Append({seq, KindOf(event), event.time_ms(), event.SerializeAsString()});
  } catch (const store::StoreError& e) {
    AbortBatch(std::string("cannot journal an event: ") + e.what());
    return 0;
  }
  if (pending_.empty()) {
    // An idle handle makes the loop skip blocking in poll, so the check
    // handle commits and delivers in this iteration even when we were
    // called from a timer.
    uv_idle_start(idle_, [](uv_idle_t*) {});
  }
  pending_.push_back(std::move(shared));

  if (++publishes_since_trim_ >= kTrimEvery) {
    publishes_since_trim_ = 0;
    try {
      journal_.Trim(options_.journal_retention);
    } catch (const store::StoreError& e) {
      spdlog::warn("events: journal trim failed: {}", e.what());
    }
  }
  return seq;
}

void EventBus::AbortBatch(const std::string& why) {
  loss_reason_ = why;
  const bool open = db_.in_batch();
  try {
    db_.Rollback();  // reports the loss through OnBatchLost
  } catch (const store::StoreError& e) {
    spdlog::error("events: rollback failed: {}", e.what());
  }
  // Nothing was written yet, but acks waiting for this turn must not go out.
  if (!open) OnBatchLost();
}

void EventBus::OnBatchLost() {
  std::string why = std::exchange(loss_reason_, {});
  if (why.empty()) why = db_.loss_reason();
  if (auto note = loss_log_.Admit()) {
    spdlog::error("events: a write batch was rolled back ({}); its {} events are not delivered{}", why,
                  pending_.size(), *note);
  }
  pending_.clear();
  uv_idle_stop(idle_);
  // Journal rows past the last commit were in the lost batch: their seqs
  // were never delivered and are handed out again, keeping seqs dense.
  prompt_commit_ = false;
  last_seq_ = committed_seq_;
  RunAfterCommit(false);
  for (auto& [handle, hook] : rollback_hooks_) hook(why);
}

size_t EventBus::AddRollbackHook(std::function<void(const std::string&)> hook) {
  rollback_hooks_.emplace(next_hook_, std::move(hook));
  return next_hook_++;
}

void EventBus::RemoveRollbackHook(size_t handle) { rollback_hooks_.erase(handle); }

size_t EventBus::AddPreCommitHook(std::function<void()> hook) {
  pre_commit_hooks_.emplace(next_hook_, std::move(hook));
  return next_hook_++;
}

void EventBus::RemovePreCommitHook(size_t handle) { pre_commit_hooks_.erase(handle); }

void EventBus::RequestFlush() { uv_idle_start(idle_, [](uv_idle_t*) {}); }

void EventBus::RunAfterCommit(bool committed) {
  std::vector<std::function<void(bool)>> callbacks;
  callbacks.swap(after_commit_);
  for (auto& done : callbacks) done(committed);
}

void EventBus::AfterCommit(std::function<void(bool)> done) {
  after_commit_.push_back(std::move(done));
  RequestFlush();
}

void EventBus::AfterPromptCommit(std::function<void(bool)> done) {
  prompt_commit_ = true;
  AfterCommit(std::move(done));
}

bool EventBus::Flush() {
  uv_timer_stop(commit_timer_);
  prompt_commit_ = false;
  for (auto& [handle, hook] : pre_commit_hooks_) hook();
  if (db_.in_batch()) {
    last_commit_ms_ = uv_now(loop_);
    try {
      db_.Commit();
    } catch (const store::StoreError&) {
      return false;  // rolled back and reported through OnBatchLost
    }
  }
  RunAfterCommit(true);
  uv_idle_stop(idle_);
  if (pending_.empty()) return true;
  std::vector<EventPtr> events;
  events.swap(pending_);
  for (const auto& event : events) {
    committed_seq_ = event->seq();
    Deliver(event);
  }
  return true;
}

void EventBus::Deliver(const EventPtr& event) {
  const uint64_t seq = event->seq();
  bool prune = false;
  for (const auto& sub : subs_) {
    std::function<void()> notify;
    {
      std::lock_guard<std::mutex> lock(sub->mu_);
      if (sub->cancelled_) {
        prune = true;
        continue;
      }
      if (!sub->live_ || seq <= sub->last_enqueued_seq_) continue;
      if (!sub->filter_.Accepts(*event)) {
        sub->last_enqueued_seq_ = seq;
        continue;
      }
      if (sub->queue_.size() >= sub->queue_limit_) {
        // Dropped here; the journal serves it once the reader has drained.
        sub->live_ = false;
        continue;
      }
      if (sub->queue_.empty()) notify = sub->BeginNotifyLocked();
      sub->queue_.push_back(event);
      sub->last_enqueued_seq_ = seq;
    }
    sub->Notify(notify);
  }
  if (prune) {
    std::erase_if(subs_, [](const std::shared_ptr<Subscription>& sub) {
      std::lock_guard<std::mutex> lock(sub->mu_);
      return sub->cancelled_;
    });
  }
}

Result<std::shared_ptr<Subscription>> EventBus::Subscribe(std::optional<uint64_t> since_seq,
                                                          SubscriptionFilter filter, uint64_t* oldest_available,
                                                          Audience audience) {
  std::shared_ptr<Subscription> sub(
      new Subscription(next_sub_id_++, std::move(filter), options_.queue_limit, audience));
  if (!since_seq) {
    sub->live_ = true;
    sub->last_enqueued_seq_ = last_seq_;
  } else {
    uint64_t oldest = 0;
    try {
      oldest = journal_.OldestSeq();
    } catch (const store::StoreError& e) {
      return Status(Code::kInternal, tim_err::kDatabaseFailure, std::string("event journal: ") + e.what());
    }
    if (oldest_available) *oldest_available = oldest;
    const uint64_t since = *since_seq;
    if (oldest > 0 && since + 1 < oldest) {
      // 7011 "data not found": those events are gone from the journal.
      return Status(Code::kOutOfRange, tim_err::kDatabaseNotFound,
                    "since_seq " + std::to_string(since) + " is older than the journal retains; the oldest available seq is " +
                        std::to_string(oldest));
    }
    if (since > last_seq_) {
      return Status(Code::kOutOfRange, tim_err::kInvalidParameters,
                    "since_seq " + std::to_string(since) + " is newer than the journal head " +
                        std::to_string(last_seq_));
    }
    sub->live_ = false;
    sub->last_enqueued_seq_ = since;
  }
  ScheduleRefill(sub);
  subs_.push_back(sub);
  Recount();
  if (!sub->live_) Refill(sub);
  return sub;
}

void EventBus::SetAppCountListener(std::function<void(size_t count)> listener) {
  app_count_listener_ = std::move(listener);
}

void EventBus::Recount() {
  size_t apps = 0;
  std::erase_if(subs_, [&apps](const std::shared_ptr<Subscription>& sub) {
    std::lock_guard<std::mutex> lock(sub->mu_);
    if (!sub->cancelled_ && sub->audience_ == Audience::kApp) ++apps;
    return sub->cancelled_;
  });
  if (apps == app_count_) return;
  app_count_ = apps;
  if (app_count_listener_) app_count_listener_(apps);
}

void EventBus::ScheduleRefill(const std::shared_ptr<Subscription>& sub) {
  // Runs on the reader's thread: touches only copies, and the posted task
  // checks that the bus still exists before using it.
  std::weak_ptr<Subscription> weak_sub = sub;
  std::weak_ptr<bool> alive = alive_;
  auto post = post_to_loop_;
  std::lock_guard<std::mutex> lock(sub->mu_);
  sub->request_refill_ = [this, weak_sub, alive, post] {
    post([this, weak_sub, alive] {
      if (alive.expired()) return;
      if (auto s = weak_sub.lock()) Refill(s);
    });
  };
  sub->on_cancel_ = [this, alive, post] {
    post([this, alive] {
      if (!alive.expired()) Recount();
    });
  };
}

void EventBus::Refill(const std::shared_ptr<Subscription>& sub) {
  const std::vector<int> kinds(sub->filter_.kinds.begin(), sub->filter_.kinds.end());
  for (;;) {
    uint64_t after = 0;
    size_t room = 0;
    {
      std::lock_guard<std::mutex> lock(sub->mu_);
      if (sub->cancelled_ || sub->live_) {
        sub->refill_pending_ = false;
        return;
      }
      after = sub->last_enqueued_seq_;
      room = sub->queue_limit_ > sub->queue_.size() ? sub->queue_limit_ - sub->queue_.size() : 0;
      if (room == 0) {
        sub->refill_pending_ = false;
        return;
      }
    }

    std::vector<store::JournalRow> rows;
    try {
      rows = journal_.ReadAfter(after, room, kinds);
    } catch (const store::StoreError& e) {
      spdlog::error("events: journal read for subscription {} failed: {}", sub->id(), e.what());
      std::lock_guard<std::mutex> lock(sub->mu_);
      sub->refill_pending_ = false;
      return;
    }
    // Rows past committed_seq_ belong to the open batch: they arrive live.
    bool caught_up = rows.size() < room;
    uint64_t last = after;
    std::vector<EventPtr> events;
    for (auto& row : rows) {
      if (row.seq > committed_seq_) {
        caught_up = true;
        break;
      }
      last = row.seq;
      auto event = std::make_shared<tim::v1::Event>();
      if (!event->ParseFromString(row.payload)) {
        spdlog::warn("events: journal row {} does not parse; skipped", row.seq);
        continue;
      }
      if (sub->filter_.Accepts(*event)) events.push_back(std::move(event));
    }

    std::function<void()> notify;
    {
      std::lock_guard<std::mutex> lock(sub->mu_);
      if (sub->cancelled_) return;
      if (sub->queue_.empty() && !events.empty()) notify = sub->BeginNotifyLocked();
      for (auto& event : events) sub->queue_.push_back(std::move(event));
      sub->last_enqueued_seq_ = caught_up ? std::max(last, committed_seq_) : last;
      sub->live_ = caught_up;
      sub->refill_pending_ = false;
    }
    sub->Notify(notify);
    // Everything read was filtered out and more rows remain: read on, as no
    // Pop() would ask for another refill.
    if (caught_up || !events.empty()) return;
  }
}

size_t EventBus::subscriber_count() const {
  size_t count = 0;
  for (const auto& sub : subs_) {
    std::lock_guard<std::mutex> lock(sub->mu_);
    if (!sub->cancelled_) ++count;
  }
  return count;
}

}  // namespace timd::events
