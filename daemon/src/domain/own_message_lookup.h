// What RevokeMessage and ModifyMessage check first: the message named by
// the request exists in that conversation and is the login's own, sent.
#pragma once

#include <string>

#include "common/status.h"
#include "domain/user_ids.h"
#include "store/message_store.h"
#include "tim/v1/common.pb.h"

namespace timd::domain {

// The stored message `msg_id` of the conversation, if the login sent it:
// UNIMPLEMENTED/7013 for a conversation type other than C2C, the user ID's
// error for a bad conv_id, INVALID_ARGUMENT/6017 without msg_id,
// NOT_FOUND/7011 when it is not stored there, PERMISSION_DENIED/7013 when
// someone else sent it (`verb`: what the caller wanted, "revoked").
// Throws store::StoreError.
Result<store::MessageRecord> FindOwnMessage(store::MessageStore& store, const UserIds& ids,
                                            const std::string& conv_id, tim::v1::ConvType conv_type,
                                            const std::string& msg_id, const std::string& verb);
// FAILED_PRECONDITION/7014 unless the message was sent and is not revoked;
// FAILED_PRECONDITION/7013 when it has no id attribute to reference.
Status CheckChangeable(const store::MessageRecord& record, const std::string& verb);
// No stream to send on: nothing is queued, the app calls again.
Status NotConnectedStatus();

}  // namespace timd::domain
