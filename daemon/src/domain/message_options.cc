#include "domain/message_options.h"

#include <string>

#include "domain/message_codec.h"

namespace timd::domain {

Status ApplySendOptions(const SendOptions& options, OutgoingContent& prepared, size_t max_bytes) {
  constexpr uint32_t kLowestPriority = 3;  // kTIMMsgPriority_Lowest
  if (options.priority > kLowestPriority) {
    return Status(Code::kInvalidArgument, tim_err::kInvalidParameters,
                  "priority " + std::to_string(options.priority) + " is not a TIMMsgPriority (0 to 3)");
  }
  if (!options.is_online_msg && !options.is_excluded_from_unread_count) return Status::Ok();
  prepared.content.set_is_online_msg(options.is_online_msg);  // the no-store hints say it, not the payload
  prepared.content.set_is_excluded_from_unread_count(options.is_excluded_from_unread_count);
  // A plain text message now goes with timd's payload: count it against the limit.
  prepared.payload = EncodePayload(prepared.content);
  const size_t size = prepared.body.size() + prepared.payload.size();
  if (size > max_bytes) {
    return Status(Code::kInvalidArgument, tim_err::kMsgBodySizeLimit,
                  "message is " + std::to_string(size) + " bytes; the limit is " + std::to_string(max_bytes));
  }
  return Status::Ok();
}

void MarkOnlineOnly(store::MessageRecord& record) {
  tim::v1::Message content = StoredContent(record);
  content.set_is_online_msg(true);
  record.elems = EncodeContent(content);
  record.no_unread = true;
}

}  // namespace timd::domain
