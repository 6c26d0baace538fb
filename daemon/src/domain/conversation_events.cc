#include "domain/conversation_events.h"

namespace timd::domain {

ConvEventBatch::ConvEventBatch(events::EventBus& bus) : bus_(bus) {
  pre_commit_hook_ = bus_.AddPreCommitHook([this] { Publish(); });
  rollback_hook_ = bus_.AddRollbackHook([this](const std::string&) { turn_.clear(); });
}

ConvEventBatch::~ConvEventBatch() {
  bus_.RemovePreCommitHook(pre_commit_hook_);
  bus_.RemoveRollbackHook(rollback_hook_);
}

void ConvEventBatch::Updated(tim::v1::Conversation conv) {
  auto key = std::make_pair(static_cast<int>(conv.conv_type()), conv.conv_id());
  turn_[std::move(key)] = Change{tim::v1::CONV_EVENT_UPDATE, std::move(conv)};
  bus_.RequestFlush();
}

void ConvEventBatch::Deleted(const std::string& conv_id, tim::v1::ConvType conv_type) {
  Change change{tim::v1::CONV_EVENT_DEL, {}};
  change.conv.set_conv_id(conv_id);
  change.conv.set_conv_type(conv_type);
  turn_[{static_cast<int>(conv_type), conv_id}] = std::move(change);
  bus_.RequestFlush();
}

void ConvEventBatch::Publish() {
  if (turn_.empty()) return;
  tim::v1::Event deleted, updated;
  for (auto& [key, change] : turn_) {
    auto& target = change.type == tim::v1::CONV_EVENT_DEL ? deleted : updated;
    *target.mutable_conv_event()->add_conversations() = std::move(change.conv);
  }
  turn_.clear();
  for (auto* event : {&deleted, &updated}) {
    if (!event->has_conv_event()) continue;
    event->mutable_conv_event()->set_type(event == &deleted ? tim::v1::CONV_EVENT_DEL : tim::v1::CONV_EVENT_UPDATE);
    bus_.Publish(std::move(*event));
  }
}

}  // namespace timd::domain
