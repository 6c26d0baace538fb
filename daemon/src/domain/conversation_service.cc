#include "domain/conversation_service.h"

#include <optional>

#include "domain/message_codec.h"
#include "domain/store_status.h"

namespace timd::domain {

Result<tim::v1::ListConversationsResponse> ConversationService::ListConversations(
    const tim::v1::ListConversationsRequest&) {
  try {
    tim::v1::ListConversationsResponse response;
    for (const auto& conv : store_.ListConversations()) {
      std::optional<store::MessageRecord> last;
      if (conv.last_msg_rowid != 0) last = store_.FindByRowid(conv.last_msg_rowid);
      *response.add_conversations() = ToApiConversation(conv, last ? &*last : nullptr, login_.ids());
    }
    return response;
  } catch (const store::StoreError& e) {
    return StoreFailureStatus(e);
  }
}

}  // namespace timd::domain
