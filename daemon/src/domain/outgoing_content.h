// The content of a message an app sends or corrects (SendMessage,
// ModifyMessage): checked the same way for both, and turned into what goes
// on the wire (the fallback body and timd's own payload) and into the
// store.
#pragma once

#include <cstddef>
#include <string>

#include "common/status.h"
#include "domain/message_payload.h"
#include "tim/v1/common.pb.h"

namespace timd::domain {

struct OutgoingContent {
  tim::v1::Message content;  // elems, cloud_custom_str, need_read_receipt
  std::string body;          // FallbackBody
  std::string payload;       // EncodePayload ("" when the body says it all)
};

// INVALID_ARGUMENT with 6017 for no or too many elements or a
// cloud_custom_str XML cannot carry, CheckElem's verdict for a bad element,
// and 8001 when body and payload together exceed `max_bytes`.
Result<OutgoingContent> PrepareOutgoingContent(const Elems& elems, const std::string& cloud_custom_str,
                                               bool need_read_receipt, size_t max_bytes);

}  // namespace timd::domain
