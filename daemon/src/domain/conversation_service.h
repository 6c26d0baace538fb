// tim.v1.Conversations in the domain: the conversation list, as the store
// keeps it (Messaging updates it as messages come and go).
#pragma once

#include "domain/conversation_calls.h"
#include "domain/login_state.h"
#include "domain/read_state.h"
#include "store/message_store.h"

namespace timd::domain {

class ConversationService final : public ConversationCalls {
 public:
  ConversationService(store::MessageStore& store, const LoginState& login, ReadState& read_state)
      : store_(store), login_(login), read_state_(read_state) {}

  Result<tim::v1::ListConversationsResponse> ListConversations(
      const tim::v1::ListConversationsRequest& request) override;
  void CleanConversationUnreadMessageCount(const tim::v1::CleanUnreadRequest& request,
                                           Done<tim::v1::CleanUnreadResponse> done) override {
    read_state_.CleanUnread(request, std::move(done));
  }
  Result<tim::v1::GetTotalUnreadResponse> GetTotalUnreadMessageCount(const tim::v1::GetTotalUnreadRequest&) override {
    return read_state_.TotalUnread();
  }

 private:
  store::MessageStore& store_;
  const LoginState& login_;
  ReadState& read_state_;
};

}  // namespace timd::domain
