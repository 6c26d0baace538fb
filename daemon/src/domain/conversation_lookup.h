// Which stored conversation an API call names, or why none: the checks
// every conversation call shares (conversation_edits.proto lists the codes).
#pragma once

#include <string>

#include "common/status.h"
#include "domain/user_ids.h"
#include "store/message_store.h"
#include "tim/v1/common.pb.h"

namespace timd::domain {

// A conversation named by (conv_id, conv_type). Only Listed() ones (with a
// message, or created, and not deleted) count as existing: NOT_FOUND and
// 6004 else.
Result<store::ConversationRecord> FindNamedConversation(store::MessageStore& store, const UserIds& ids,
                                                        const std::string& conv_id, tim::v1::ConvType conv_type);
// The same for a TIM 7.x conversation ID ("c2c_<user>", "group_<group>").
Result<store::ConversationRecord> FindConversationById(store::MessageStore& store, const UserIds& ids,
                                                       const std::string& conversation_id);

}  // namespace timd::domain
