#include "domain/unread_total_events.h"

#include <spdlog/spdlog.h>

namespace timd::domain {

UnreadTotalEvents::UnreadTotalEvents(store::MessageStore& store, events::EventBus& bus) : store_(store), bus_(bus) {
  try {
    committed_total_ = store_.TotalUnread();
  } catch (const store::StoreError& e) {
    spdlog::warn("unread total: not read at start ({}); the first change sets it", e.what());
  }
  pre_commit_hook_ = bus_.AddPreCommitHook([this] { PublishIfChanged(); });
}

UnreadTotalEvents::~UnreadTotalEvents() { bus_.RemovePreCommitHook(pre_commit_hook_); }

void UnreadTotalEvents::PublishIfChanged() {
  // Only a write can move the total: a flush with no batch open costs nothing.
  if (!store_.database().in_batch()) return;
  uint64_t total = 0;
  try {
    total = store_.TotalUnread();
  } catch (const store::StoreError& e) {
    bus_.AbortBatch(std::string("could not read the unread total: ") + e.what());
    return;
  }
  if (committed_total_ == total) return;
  const bool known = committed_total_.has_value();
  // The event commits with the change; a rolled-back batch leaves the
  // committed total as it was, and the next commit compares with that.
  bus_.AfterCommit([this, total](bool committed) {
    if (committed) committed_total_ = total;
  });
  if (!known) return;
  tim::v1::Event event;
  event.mutable_total_unread_changed()->set_unread_count(total);
  bus_.Publish(std::move(event));
}

}  // namespace timd::domain
