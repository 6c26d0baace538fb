// TOTAL_UNREAD_CHANGED events (unread_counts.proto): at each commit that
// wrote something, the total unread number is read back from the store and,
// when it differs from the last one published, one event carries the new
// total in the same commit. Whatever moved it (a new message, a read
// pointer, a delete or clear) needs no hook of its own.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include "events/event_bus.h"
#include "store/database.h"
#include "store/message_store.h"

namespace timd::domain {

class UnreadTotalEvents {
 public:
  UnreadTotalEvents(store::MessageStore& store, events::EventBus& bus);
  ~UnreadTotalEvents();
  UnreadTotalEvents(const UnreadTotalEvents&) = delete;
  UnreadTotalEvents& operator=(const UnreadTotalEvents&) = delete;

 private:
  void PublishIfChanged();  // pre-commit hook

  store::MessageStore& store_;
  events::EventBus& bus_;
  // The total as of the last commit; unset while the store could not say.
  std::optional<uint64_t> committed_total_;
  size_t pre_commit_hook_;
};

}  // namespace timd::domain
