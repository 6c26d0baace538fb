// TIMMsgBatchSend (message_import.proto BatchSend): the same content sent
// to many users, each an ordinary SendMessage of its own (with the same
// options: unread exclusion, online-only, priority, read receipt).
#pragma once

#include "domain/message_calls.h"

namespace timd::domain {

// Answers once every send has an outcome, with one result per user in the
// order asked for.
void BatchSend(MessageCalls& messages, const tim::v1::BatchSendRequest& request,
               Done<tim::v1::BatchSendResponse> done);

}  // namespace timd::domain
