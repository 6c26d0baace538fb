// Conversions between stored message rows and the API's tim.v1 messages,
// and the TIM message identifiers derived from a msg_id.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <google/protobuf/repeated_field.h>

#include "common/status.h"
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

// The element types of stored content (`elems` as EncodeContent stores
// it) as bits 1 << TIMElemType: what store/elem_type_filter.h filters on.
uint64_t ElemTypeBits(std::string_view elems);
// A request's message_types as such bits (0: empty list, any type);
// INVALID_ARGUMENT and 6017 for a value that names no element type.
Result<uint64_t> ElemTypeMask(const google::protobuf::RepeatedField<int>& types);

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
