#include "domain/archive_conversation_record.h"

#include <spdlog/spdlog.h>

#include "domain/message_codec.h"

namespace timd::domain {

void RecordArchivedConversation(store::MessageStore& store, events::EventBus& bus, const UserIds& ids,
                                const store::MessageRecord& newest) {
  const auto conv = store.FindConversation(newest.conv_id, newest.conv_type);
  if (conv && (conv->last_msg_rowid != 0 || conv->attrs.deleted_up_to_ms != 0)) return;
  const auto [touched, created] = store.TouchConversation(newest, /*counts_unread=*/false);
  spdlog::info("conversation {} known from the archive only: its newest archived message is its last", newest.conv_id);
  tim::v1::Event event;
  event.mutable_conv_event()->set_type(created ? tim::v1::CONV_EVENT_ADD : tim::v1::CONV_EVENT_UPDATE);
  *event.mutable_conv_event()->add_conversations() = ToApiConversation(touched, &newest, ids);
  bus.Publish(std::move(event));
}

}  // namespace timd::domain
