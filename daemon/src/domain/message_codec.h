// Conversions between stored message rows and the API's tim.v1 messages,
// and the TIM message identifiers derived from a msg_id.
#pragma once

#include <cstdint>
#include <string>

#include "domain/user_ids.h"
#include "store/message_store.h"
#include "tim/v1/timd.pb.h"

namespace timd::domain {

// message_unique_id: top 63 bits of SHA-256(msg_id); message_rand: its low
// 32 bits. Both are the same on every device that sees the message.
uint64_t UniqueIdOf(const std::string& msg_id);
uint64_t RandOf(const std::string& msg_id);

// The element array is stored as a serialized tim.v1.Message that carries
// only its `elems`.
std::string EncodeElems(const google::protobuf::RepeatedPtrField<tim::v1::Elem>& elems);
std::string TextOf(const google::protobuf::RepeatedPtrField<tim::v1::Elem>& elems);

tim::v1::Message ToApiMessage(const store::MessageRecord& record, const UserIds& ids);
tim::v1::Conversation ToApiConversation(const store::ConversationRecord& conv,
                                        const store::MessageRecord* last_msg, const UserIds& ids);

}  // namespace timd::domain
