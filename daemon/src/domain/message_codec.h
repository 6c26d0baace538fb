// Conversions between stored message rows and the API's tim.v1 messages,
// and the TIM message identifiers derived from a msg_id.
#pragma once

#include <cstdint>
#include <string>

#include "domain/user_ids.h"
#include "store/message_store.h"
#include "tim/v1/timd.pb.h"

namespace timd::domain {

// The element array is stored as a serialized tim.v1.Message that carries
// only its `elems`.
std::string EncodeElems(const google::protobuf::RepeatedPtrField<tim::v1::Elem>& elems);
std::string TextOf(const google::protobuf::RepeatedPtrField<tim::v1::Elem>& elems);

// The API message of a stored record; message_unique_id and message_rand are
// derived from the msg_id (the same on every device that sees the message).
tim::v1::Message ToApiMessage(const store::MessageRecord& record, const UserIds& ids);
// Same, with the record's elements already decoded (moved in).
tim::v1::Message ToApiMessage(const store::MessageRecord& record,
                              google::protobuf::RepeatedPtrField<tim::v1::Elem>&& elems, const UserIds& ids);
tim::v1::Conversation ToApiConversation(const store::ConversationRecord& conv,
                                        const store::MessageRecord* last_msg, const UserIds& ids);

}  // namespace timd::domain
