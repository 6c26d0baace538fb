// Read-state JSON (reference §6.2, §6.3): message ids out of Message JSON,
// and the total-unread result.
#include "json_internal.h"

namespace timclient {

using internal::Json;

ParseResult ParseMessageIdArray(const char* json_msg_array, Repeated<std::string>* msg_ids, std::string* why) {
  Json array;
  if (ParseResult parsed = internal::ParseText(json_msg_array, &array, why); parsed != ParseResult::kOk) {
    return parsed;
  }
  if (!array.is_array() || array.empty()) {
    *why = "a non-empty array of Message is expected";
    return ParseResult::kParam;
  }
  for (const Json& msg : array) {
    if (!msg.is_object()) {
      *why = "a Message object is expected";
      return ParseResult::kParam;
    }
    if (!internal::ReadString(msg, "message_msg_id", true, msg_ids->Add(), why)) return ParseResult::kParam;
  }
  return ParseResult::kOk;
}

std::string TotalUnreadJson(uint64_t unread_count) {
  Json o = Json::object();
  o["conv_get_total_unread_message_count_result_unread_count"] = unread_count;
  return internal::Dump(o);
}

}  // namespace timclient
