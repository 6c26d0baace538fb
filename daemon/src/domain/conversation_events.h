// The ConvEvents of the conversation calls (delete, draft, pin, mark, custom
// data), coalesced per loop turn: at the turn's commit one DEL event and
// one UPDATE event at most, each carrying every conversation of its kind
// once, in its latest state (tim-xmpp-mapping.md 6). A rolled-back turn
// publishes nothing.
#pragma once

#include <map>
#include <string>
#include <utility>

#include "events/event_bus.h"
#include "tim/v1/common.pb.h"

namespace timd::domain {

class ConvEventBatch {
 public:
  explicit ConvEventBatch(events::EventBus& bus);
  ~ConvEventBatch();
  ConvEventBatch(const ConvEventBatch&) = delete;
  ConvEventBatch& operator=(const ConvEventBatch&) = delete;

  // `conv` (API form) changed this turn.
  void Updated(tim::v1::Conversation conv);
  // The conversation (API conv_id) was deleted this turn.
  void Deleted(const std::string& conv_id, tim::v1::ConvType conv_type);

 private:
  void Publish();  // pre-commit hook

  struct Change {
    tim::v1::ConvEventType type;
    tim::v1::Conversation conv;
  };
  events::EventBus& bus_;
  std::map<std::pair<int, std::string>, Change> turn_;  // by (type, API conv_id)
  size_t pre_commit_hook_;
  size_t rollback_hook_;
};

}  // namespace timd::domain
