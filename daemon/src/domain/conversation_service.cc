#include "domain/conversation_service.h"

#include <algorithm>
#include <optional>

#include "domain/conversation_lookup.h"
#include "domain/message_codec.h"
#include "domain/store_status.h"

namespace timd::domain {
namespace {

constexpr int kMaxKeys = 100;
constexpr uint32_t kDefaultPageSize = 100;

bool Matches(const tim::v1::ConversationListFilter& filter, const store::ConversationRecord& conv) {
  if (filter.conv_type() != tim::v1::CONV_INVALID && filter.conv_type() != conv.conv_type) return false;
  if ((conv.attrs.marks & filter.mark_type()) != filter.mark_type()) return false;
  if (filter.has_unread_count() && conv.unread == 0) return false;
  // No conversation groups and no @ info are kept: such filters match nothing.
  return filter.conversation_group().empty() && !filter.has_group_at_info();
}

}  // namespace

tim::v1::Conversation ConversationService::ToApi(const store::ConversationRecord& conv) {
  std::optional<store::MessageRecord> last;
  if (conv.last_msg_rowid != 0) last = store_.FindByRowid(conv.last_msg_rowid);
  return ToApiConversation(conv, last ? &*last : nullptr, login_.ids());
}

Result<tim::v1::ListConversationsResponse> ConversationService::ListConversations(
    const tim::v1::ListConversationsRequest&) {
  try {
    tim::v1::ListConversationsResponse response;
    for (const auto& conv : store_.ListConversations()) *response.add_conversations() = ToApi(conv);
    return response;
  } catch (const store::StoreError& e) {
    return StoreFailureStatus(e);
  }
}

Result<tim::v1::GetConversationsResponse> ConversationService::GetConversations(
    const tim::v1::GetConversationsRequest& request) {
  if (request.keys_size() > kMaxKeys) {
    return Status(Code::kInvalidArgument, tim_err::kInvalidParameters, "at most 100 conversations");
  }
  try {
    tim::v1::GetConversationsResponse response;
    for (const auto& key : request.keys()) {
      auto conv = FindNamedConversation(store_, login_.ids(), key.conv_id(), key.conv_type());
      if (conv.ok()) {
        *response.add_conversations() = ToApi(conv.value());
      } else if (conv.status().code() != Code::kNotFound) {
        return conv.status();  // a malformed key, not one this daemon lacks
      }
    }
    return response;
  } catch (const store::StoreError& e) {
    return StoreFailureStatus(e);
  }
}

Result<tim::v1::GetConversationListByFilterResponse> ConversationService::GetConversationListByFilter(
    const tim::v1::GetConversationListByFilterRequest& request) {
  const uint32_t count = request.count() == 0 ? kDefaultPageSize : request.count();
  try {
    // next_seq is the position in the ordered list after the last one
    // returned (the list is local and small enough to walk).
    tim::v1::GetConversationListByFilterResponse response;
    const auto all = store_.ListConversations();
    uint64_t position = request.next_seq();
    for (; position < all.size() && static_cast<uint32_t>(response.conversations_size()) < count; ++position) {
      if (Matches(request.filter(), all[position])) *response.add_conversations() = ToApi(all[position]);
    }
    response.set_next_seq(position);
    response.set_is_finished(position >= all.size());
    return response;
  } catch (const store::StoreError& e) {
    return StoreFailureStatus(e);
  }
}

Result<tim::v1::GetUnreadMessageCountByFilterResponse> ConversationService::GetUnreadMessageCountByFilter(
    const tim::v1::GetUnreadMessageCountByFilterRequest& request) {
  if (!login_.logged_in()) return Status(Code::kFailedPrecondition, tim_err::kNotLoggedIn, "not logged in");
  try {
    uint64_t total = 0;
    for (const auto& conv : store_.ListConversations()) {
      if (Matches(request.filter(), conv)) total += static_cast<uint64_t>(std::max<int64_t>(conv.unread, 0));
    }
    tim::v1::GetUnreadMessageCountByFilterResponse response;
    response.set_unread_count(total);
    return response;
  } catch (const store::StoreError& e) {
    return StoreFailureStatus(e);
  }
}

}  // namespace timd::domain
