// TIMConvCreate (conversation_edits.proto, CreateConversationRequest): a
// C2C conversation that exists without a message. It is a conversation row
// whose created_ms is set (store::ConversationAttributes), so it is listed,
// looked up, edited and deleted like any other, and survives restarts. A
// CONV_EVENT ADD goes out with the commit when it did not exist; creating
// an existing one answers it and publishes nothing.
#pragma once

#include "domain/done.h"
#include "domain/login_state.h"
#include "events/event_bus.h"
#include "store/message_store.h"
#include "tim/v1/conversation_edits.pb.h"

namespace timd::domain {

class ConversationCreate {
 public:
  ConversationCreate(store::MessageStore& store, events::EventBus& bus, const LoginState& login)
      : store_(store), bus_(bus), login_(login) {}

  void Create(const tim::v1::CreateConversationRequest& request, Done<tim::v1::CreateConversationResponse> done);

 private:
  store::MessageStore& store_;
  events::EventBus& bus_;
  const LoginState& login_;
};

}  // namespace timd::domain
