// TIMMsgSaveMsg and TIMMsgImportMsgList (message_import.proto
// ImportMessages): messages stored in a C2C conversation without being
// sent, with status MSG_LOCAL_IMPORTED.
#pragma once

#include <cstddef>
#include <string>

#include "domain/done.h"
#include "domain/login_state.h"
#include "events/event_bus.h"
#include "store/message_store.h"
#include "tim/v1/message_import.pb.h"

namespace timd::domain {

class MessageImport {
 public:
  MessageImport(store::MessageStore& store, events::EventBus& bus, const LoginState& login, size_t max_body_bytes)
      : store_(store), bus_(bus), login_(login), max_body_bytes_(max_body_bytes) {}

  void set_own_jid(std::string bare_jid) { own_jid_ = std::move(bare_jid); }
  void Import(const tim::v1::ImportMessagesRequest& request, Done<tim::v1::ImportMessagesResponse> done);

 private:
  // The stored form of `message` in the conversation with `peer`, or why it
  // cannot be stored.
  Result<store::MessageRecord> RecordOf(const tim::v1::ImportedMessage& message, const std::string& peer) const;
  // The conversation's ADD or UPDATE event after messages were stored in it.
  void PublishConversation(const store::ConversationRecord& conv, bool created);

  store::MessageStore& store_;
  events::EventBus& bus_;
  const LoginState& login_;
  size_t max_body_bytes_;
  std::string own_jid_;
};

}  // namespace timd::domain
