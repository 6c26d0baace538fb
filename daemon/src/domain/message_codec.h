// Conversions between stored message rows and the API's tim.v1 messages,
// and the TIM message identifiers derived from a msg_id.
#pragma once

#include <cstdint>
#include <string>

#include "domain/user_ids.h"
#include "store/message_store.h"
#include "tim/v1/common.pb.h"

namespace timd::domain {

// A message's content as stored in the record's `elems`: "" for a single
// text element and nothing else (the record's body is its content: most
// messages, stored once instead of twice); otherwise a serialized
// tim.v1.Message that carries only elems, cloud_custom_str,
// need_read_receipt, is_excluded_from_unread_count and is_online_msg.
std::string EncodeContent(const tim::v1::Message& content);
// The content of a stored record (see EncodeContent).
tim::v1::Message StoredContent(const store::MessageRecord& record);

// The API message of a stored record, filled into `out` (e.g. one built in
// an event's arena); message_unique_id and message_rand are derived from the
// msg_id (the same on every device that sees the message).
void FillApiMessage(const store::MessageRecord& record, const UserIds& ids, tim::v1::Message& out);
tim::v1::Message ToApiMessage(const store::MessageRecord& record, const UserIds& ids);
tim::v1::Conversation ToApiConversation(const store::ConversationRecord& conv,
                                        const store::MessageRecord* last_msg, const UserIds& ids);

// A new random (version 4) UUID: the msg_id of a message timd creates.
std::string NewUuid();

}  // namespace timd::domain
