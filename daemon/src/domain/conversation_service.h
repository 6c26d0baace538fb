// tim.v1.Conversations in the domain: the conversation list, as the store
// keeps it (Messaging updates it as messages come and go).
#pragma once

#include "domain/conversation_calls.h"
#include "domain/login_state.h"
#include "store/message_store.h"

namespace timd::domain {

class ConversationService final : public ConversationCalls {
 public:
  ConversationService(store::MessageStore& store, const LoginState& login) : store_(store), login_(login) {}

  Result<tim::v1::ListConversationsResponse> ListConversations(
      const tim::v1::ListConversationsRequest& request) override;

 private:
  store::MessageStore& store_;
  const LoginState& login_;
};

}  // namespace timd::domain
