// Conversions between stored message rows and the API's tim.v1 messages,
// and the TIM message identifiers derived from a msg_id.
#pragma once

#include <cstdint>
#include <string>

#include "domain/user_ids.h"
#include "store/message_store.h"
#include "tim/v1/timd.pb.h"

namespace timd::domain {

// The element array as stored: "" for a single text element (the record's
// body is its content: most messages, stored once instead of twice);
// otherwise a serialized tim.v1.Message that carries only its `elems`.
std::string EncodeElems(const google::protobuf::RepeatedPtrField<tim::v1::Elem>& elems);
std::string TextOf(const google::protobuf::RepeatedPtrField<tim::v1::Elem>& elems);

// Makes `r` the record of a message with one text element.
void StoreAsText(store::MessageRecord& r, std::string text);

// The API message of a stored record, filled into `out` (e.g. one built in
// an event's arena); message_unique_id and message_rand are derived from the
// msg_id (the same on every device that sees the message).
void FillApiMessage(const store::MessageRecord& record, const UserIds& ids, tim::v1::Message& out);
tim::v1::Message ToApiMessage(const store::MessageRecord& record, const UserIds& ids);
tim::v1::Conversation ToApiConversation(const store::ConversationRecord& conv,
                                        const store::MessageRecord* last_msg, const UserIds& ids);

}  // namespace timd::domain
