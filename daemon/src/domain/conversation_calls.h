// What the API may ask of conversations (tim.v1.Conversations,
// TIMConversationManager.h). Every method runs on the loop thread.
#pragma once

#include "domain/done.h"
#include "tim/v1/conversations.pb.h"
#include "tim/v1/read_state.pb.h"

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
};

}  // namespace timd::domain
