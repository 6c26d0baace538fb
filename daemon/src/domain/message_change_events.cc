#include "domain/message_change_events.h"

#include <spdlog/spdlog.h>

#include "domain/message_codec.h"

namespace timd::domain {

MessageChangeEvents::MessageChangeEvents(store::MessageStore& store, events::EventBus& bus, const UserIds& ids)
    : store_(store), bus_(bus), ids_(ids) {
  pre_commit_hook_ = bus_.AddPreCommitHook([this] { PublishTurn(); });
  rollback_hook_ = bus_.AddRollbackHook([this](const std::string&) {
    turn_events_.clear();
    turn_convs_.clear();
    turn_rowids_.clear();
  });
}

MessageChangeEvents::~MessageChangeEvents() {
  PublishTurn();
  bus_.RemovePreCommitHook(pre_commit_hook_);
  bus_.RemoveRollbackHook(rollback_hook_);
}

void MessageChangeEvents::Revoked(const store::MessageRecord& record, const std::string& revoker) {
  const tim::v1::Message message = ToApiMessage(record, ids_);
  tim::v1::Event event;
  tim::v1::MessageLocator& locator = *event.mutable_msg_revoked()->add_locators();
  locator.set_conv_id(message.conv_id());
  locator.set_conv_type(message.conv_type());
  locator.set_is_revoked(true);
  locator.set_time(message.server_time());
  locator.set_seq(message.seq());
  locator.set_is_self(message.is_from_self());
  locator.set_rand(message.rand());
  locator.set_unique_id(message.unique_id());
  locator.set_msg_id(message.msg_id());
  locator.set_revoker_user_id(ids_.ToUserId(revoker));
  turn_events_.push_back(std::move(event));
  TouchConversation(record);
}

void MessageChangeEvents::Updated(const store::MessageRecord& record) {
  tim::v1::Event event;
  FillApiMessage(record, ids_, *event.mutable_messages_updated()->add_messages());
  turn_events_.push_back(std::move(event));
  TouchConversation(record);
}

void MessageChangeEvents::TouchConversation(const store::MessageRecord& record) {
  turn_convs_.emplace(record.conv_type, record.conv_id);
  turn_rowids_.insert(record.rowid);
  bus_.RequestFlush();
}

void MessageChangeEvents::PublishTurn() {
  if (turn_events_.empty()) return;
  for (auto& event : turn_events_) bus_.Publish(std::move(event));
  tim::v1::Event updated;
  for (const auto& [type, id] : turn_convs_) {
    try {
      auto conv = store_.FindConversation(id, type);
      if (!conv || !turn_rowids_.count(conv->last_msg_rowid)) continue;  // not its last message
      auto last = store_.FindByRowid(conv->last_msg_rowid);
      *updated.mutable_conv_event()->add_conversations() = ToApiConversation(*conv, last ? &*last : nullptr, ids_);
    } catch (const store::StoreError& e) {
      spdlog::error("could not read conversation {} for its update event: {}", id, e.what());
    }
  }
  if (updated.has_conv_event()) {
    updated.mutable_conv_event()->set_type(tim::v1::CONV_EVENT_UPDATE);
    bus_.Publish(std::move(updated));
  }
  turn_events_.clear();
  turn_convs_.clear();
  turn_rowids_.clear();
}

}  // namespace timd::domain
