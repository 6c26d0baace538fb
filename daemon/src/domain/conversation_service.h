// tim.v1.Conversations in the domain: the conversation list, as the store
// keeps it (Messaging updates it as messages come and go), lookups and
// filtered pages of it, and the local edits (ConversationEdits).
#pragma once

#include <vector>

#include "domain/conversation_calls.h"
#include "domain/conversation_create.h"
#include "domain/conversation_edits.h"
#include "domain/login_state.h"
#include "domain/read_state.h"
#include "domain/unread_total_events.h"
#include "events/event_bus.h"
#include "store/message_store.h"

namespace timd::domain {

class ConversationService final : public ConversationCalls {
 public:
  ConversationService(store::MessageStore& store, events::EventBus& bus, const LoginState& login,
                      ReadState& read_state)
      : store_(store), login_(login), read_state_(read_state), edits_(store, bus, login), create_(store, bus, login),
        unread_total_events_(store, bus) {}

  Result<tim::v1::ListConversationsResponse> ListConversations(
      const tim::v1::ListConversationsRequest& request) override;
  void CleanConversationUnreadMessageCount(const tim::v1::CleanUnreadRequest& request,
                                           Done<tim::v1::CleanUnreadResponse> done) override {
    read_state_.CleanUnread(request, std::move(done));
  }
  Result<tim::v1::GetTotalUnreadResponse> GetTotalUnreadMessageCount(const tim::v1::GetTotalUnreadRequest&) override {
    return read_state_.TotalUnread();
  }
  Result<tim::v1::GetUnreadMessageCountByFilterResponse> GetUnreadMessageCountByFilter(
      const tim::v1::GetUnreadMessageCountByFilterRequest& request) override;

  Result<tim::v1::GetConversationsResponse> GetConversations(const tim::v1::GetConversationsRequest& request) override;
  Result<tim::v1::GetConversationListByFilterResponse> GetConversationListByFilter(
      const tim::v1::GetConversationListByFilterRequest& request) override;

  void DeleteConversation(const tim::v1::DeleteConversationRequest& request,
                          Done<tim::v1::DeleteConversationResponse> done) override {
    edits_.Delete(request, std::move(done));
  }
  void DeleteConversationList(const tim::v1::DeleteConversationListRequest& request,
                              Done<tim::v1::DeleteConversationListResponse> done) override {
    edits_.DeleteList(request, std::move(done));
  }
  void SetDraft(const tim::v1::SetDraftRequest& request, Done<tim::v1::SetDraftResponse> done) override {
    edits_.SetDraft(request, std::move(done));
  }
  void PinConversation(const tim::v1::PinConversationRequest& request,
                       Done<tim::v1::PinConversationResponse> done) override {
    edits_.Pin(request, std::move(done));
  }
  void MarkConversation(const tim::v1::MarkConversationRequest& request,
                        Done<tim::v1::MarkConversationResponse> done) override {
    edits_.Mark(request, std::move(done));
  }
  void SetConversationCustomData(const tim::v1::SetConversationCustomDataRequest& request,
                                 Done<tim::v1::SetConversationCustomDataResponse> done) override {
    edits_.SetCustomData(request, std::move(done));
  }
  void CreateConversation(const tim::v1::CreateConversationRequest& request,
                          Done<tim::v1::CreateConversationResponse> done) override {
    create_.Create(request, std::move(done));
  }

 private:
  // The API form of a stored conversation, with its last message.
  tim::v1::Conversation ToApi(const store::ConversationRecord& conv);

  store::MessageStore& store_;
  const LoginState& login_;
  ReadState& read_state_;
  ConversationEdits edits_;
  ConversationCreate create_;
  // Last: its pre-commit hook runs after those of the services built before it.
  UnreadTotalEvents unread_total_events_;
};

}  // namespace timd::domain
