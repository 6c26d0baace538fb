// Events about stored messages that changed after they were announced: a
// revoke (MsgRevoked, TIMMsgRevokeCallback) and a correction
// (MessagesUpdated, TIMMsgUpdateCallback), each followed by a ConvEvent
// UPDATE when the message is its conversation's last. Published once per
// loop turn from a pre-commit hook registered after Messaging's, so a
// message stored and changed in one turn (an archive page holding the
// original and its retraction) is announced new first, then changed.
#pragma once

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "domain/user_ids.h"
#include "events/event_bus.h"
#include "store/message_store.h"

namespace timd::domain {

class MessageChangeEvents {
 public:
  MessageChangeEvents(store::MessageStore& store, events::EventBus& bus, const UserIds& ids);
  ~MessageChangeEvents();
  MessageChangeEvents(const MessageChangeEvents&) = delete;
  MessageChangeEvents& operator=(const MessageChangeEvents&) = delete;

  // `record` (its status already REVOKED in the store) was revoked by
  // `revoker` (a bare JID).
  void Revoked(const store::MessageRecord& record, const std::string& revoker);
  // `record`'s content changed (stored already).
  void Updated(const store::MessageRecord& record);

 private:
  void TouchConversation(const store::MessageRecord& record);
  void PublishTurn();

  store::MessageStore& store_;
  events::EventBus& bus_;
  const UserIds& ids_;
  std::vector<tim::v1::Event> turn_events_;  // in order
  std::set<std::pair<int, std::string>> turn_convs_;  // by (type, id)
  std::set<int64_t> turn_rowids_;                     // changed this turn
  size_t pre_commit_hook_;
  size_t rollback_hook_;
};

}  // namespace timd::domain
