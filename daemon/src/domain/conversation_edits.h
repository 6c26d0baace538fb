// The conversation calls that change what this daemon keeps about a
// conversation (conversation_edits.proto): delete, draft, pin, marks and
// custom data. All of it is local (tim-xmpp-mapping.md 6, open decision
// 10): nothing goes to the server, and other devices are not told. Each
// call answers once its change is committed; its ConvEvent goes out with
// that commit, coalesced per loop turn (ConvEventBatch).
#pragma once

#include <functional>
#include <string>

#include "domain/conversation_events.h"
#include "domain/done.h"
#include "domain/login_state.h"
#include "events/event_bus.h"
#include "store/archived_edit_store.h"
#include "store/message_store.h"
#include "tim/v1/conversation_edits.pb.h"

namespace timd::domain {

class ConversationEdits {
 public:
  ConversationEdits(store::MessageStore& store, events::EventBus& bus, const LoginState& login)
      : store_(store), archived_edits_(store.database()), bus_(bus), login_(login), events_(bus) {}

  void Delete(const tim::v1::DeleteConversationRequest& request, Done<tim::v1::DeleteConversationResponse> done);
  void DeleteList(const tim::v1::DeleteConversationListRequest& request,
                  Done<tim::v1::DeleteConversationListResponse> done);
  void SetDraft(const tim::v1::SetDraftRequest& request, Done<tim::v1::SetDraftResponse> done);
  void Pin(const tim::v1::PinConversationRequest& request, Done<tim::v1::PinConversationResponse> done);
  void Mark(const tim::v1::MarkConversationRequest& request, Done<tim::v1::MarkConversationResponse> done);
  void SetCustomData(const tim::v1::SetConversationCustomDataRequest& request,
                     Done<tim::v1::SetConversationCustomDataResponse> done);

 private:
  using AttributeChange = std::function<void(store::ConversationAttributes&)>;

  // Deletes a stored conversation (see MessageStore::DeleteConversation).
  void DeleteStored(const store::ConversationRecord& conv, bool clear_messages);
  // Applies `change` to a stored conversation's attributes; an UPDATE
  // event follows when they changed.
  void ChangeStored(const store::ConversationRecord& conv, const AttributeChange& change);
  // One conversation named by (conv_id, conv_type): looks it up, runs
  // `apply` on it and answers after the commit.
  template <typename Response>
  void OnNamed(const std::string& conv_id, tim::v1::ConvType conv_type, Done<Response> done,
               const std::function<void(const store::ConversationRecord&)>& apply);
  // Conversation IDs ("c2c_<user>"), 1 to 100: `apply` runs on each one
  // found; the response has one result per ID, answered after the commit.
  template <typename Response>
  void OnEachId(const google::protobuf::RepeatedPtrField<std::string>& conversation_ids, Done<Response> done,
                const std::function<void(const store::ConversationRecord&)>& apply);
  template <typename Response>
  void AnswerAfterCommit(Done<Response> done, Response response);

  store::MessageStore& store_;
  store::ArchivedEditStore archived_edits_;  // dropped with the conversation
  events::EventBus& bus_;
  const LoginState& login_;
  ConvEventBatch events_;
};

}  // namespace timd::domain
