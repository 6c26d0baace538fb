// What the API may ask of conversations (tim.v1.Conversations,
// TIMConversationManager.h). Every method runs on the loop thread.
#pragma once

#include "domain/done.h"
#include "tim/v1/conversation_edits.pb.h"
#include "tim/v1/conversations.pb.h"
#include "tim/v1/read_state.pb.h"
#include "tim/v1/unread_counts.pb.h"

namespace timd::domain {

class ConversationCalls {
 public:
  virtual ~ConversationCalls() = default;
  virtual Result<tim::v1::ListConversationsResponse> ListConversations(
      const tim::v1::ListConversationsRequest& request) = 0;
  virtual void CleanConversationUnreadMessageCount(const tim::v1::CleanUnreadRequest& request,
                                                   Done<tim::v1::CleanUnreadResponse> done) = 0;
  virtual Result<tim::v1::GetTotalUnreadResponse> GetTotalUnreadMessageCount(
      const tim::v1::GetTotalUnreadRequest& request) = 0;
  virtual Result<tim::v1::GetUnreadMessageCountByFilterResponse> GetUnreadMessageCountByFilter(
      const tim::v1::GetUnreadMessageCountByFilterRequest& request) = 0;

  // conversation_edits.proto
  virtual void DeleteConversation(const tim::v1::DeleteConversationRequest& request,
                                  Done<tim::v1::DeleteConversationResponse> done) = 0;
  virtual void DeleteConversationList(const tim::v1::DeleteConversationListRequest& request,
                                      Done<tim::v1::DeleteConversationListResponse> done) = 0;
  virtual Result<tim::v1::GetConversationsResponse> GetConversations(
      const tim::v1::GetConversationsRequest& request) = 0;
  virtual Result<tim::v1::GetConversationListByFilterResponse> GetConversationListByFilter(
      const tim::v1::GetConversationListByFilterRequest& request) = 0;
  virtual void SetDraft(const tim::v1::SetDraftRequest& request, Done<tim::v1::SetDraftResponse> done) = 0;
  virtual void PinConversation(const tim::v1::PinConversationRequest& request,
                               Done<tim::v1::PinConversationResponse> done) = 0;
  virtual void MarkConversation(const tim::v1::MarkConversationRequest& request,
                                Done<tim::v1::MarkConversationResponse> done) = 0;
  virtual void SetConversationCustomData(const tim::v1::SetConversationCustomDataRequest& request,
                                         Done<tim::v1::SetConversationCustomDataResponse> done) = 0;
  virtual void CreateConversation(const tim::v1::CreateConversationRequest& request,
                                  Done<tim::v1::CreateConversationResponse> done) = 0;
};

}  // namespace timd::domain
