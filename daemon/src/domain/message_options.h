// What a message carries besides its content (SendMessage, BatchSend's
// sends, ImportMessages, and received messages): message_is_excluded_from_unread_count travels in timd's
// payload and is kept with the content; message_is_online_msg travels as
// XEP-0334 no-store hints (xmpp/hints.h) and is kept with the content;
// message_priority is checked and not carried (XMPP has no message
// priority, mapping 3.3).
#pragma once

#include <cstddef>

#include "common/status.h"
#include "domain/outgoing_content.h"
#include "store/message_store.h"
#include "tim/v1/message_import.pb.h"
#include "tim/v1/messages.pb.h"

namespace timd::domain {

struct SendOptions {
  uint32_t priority = 1;
  bool is_online_msg = false;
  bool is_excluded_from_unread_count = false;
};

// The options of a SendMessageRequest or an ImportedMessage.
template <typename Request>
SendOptions SendOptionsOf(const Request& request) {
  return {request.priority(), request.is_online_msg(), request.is_excluded_from_unread_count()};
}

// Copies `options` into `prepared` (its content and payload; see
// common.proto Message). INVALID_ARGUMENT and 6017 for a priority that is
// not a TIMMsgPriority (0 to 3); 8001 when the payload they need makes
// body and payload exceed `max_bytes`.
Status ApplySendOptions(const SendOptions& options, OutgoingContent& prepared, size_t max_bytes);

// A received message that came with a no-store hint: online-only
// (is_online_msg in its stored content), never counted as unread.
void MarkOnlineOnly(store::MessageRecord& record);

}  // namespace timd::domain
