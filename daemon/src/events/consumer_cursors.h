// Durable named consumer cursors: the last event seq each named consumer (a
// local app) has acknowledged, so that it can resume after its own restart
// exactly where it stopped.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"
#include "events/event_bus.h"
#include "store/settings.h"

namespace timd::events {

class ConsumerCursors {
 public:
  ConsumerCursors(store::Settings& settings, EventBus& bus) : settings_(settings), bus_(bus) {}

  // Letters, digits, '.', '_', '-'; 1 to 64 characters.
  static bool ValidName(std::string_view name);

  // Loop thread. Where a Subscribe naming `name` without since_seq starts:
  // the stored cursor, or, for a consumer never seen, the committed head
  // (which is stored, so that events delivered before its first ack are
  // replayed if it dies).
  Result<uint64_t> StartFor(const std::string& name);

  // Loop thread. Moves the cursor forward to `seq` (an older seq keeps the
  // stored one) and calls `done` with the stored cursor once it is committed.
  void Ack(const std::string& name, uint64_t seq, std::function<void(Result<uint64_t>)> done);

 private:
  std::optional<uint64_t> Stored(const std::string& name);

  store::Settings& settings_;
  EventBus& bus_;
};

}  // namespace timd::events
