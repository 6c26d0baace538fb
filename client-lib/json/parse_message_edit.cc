// App JSON of the calls that change a stored message (TIMMsgRevoke,
// TIMMsgModifyMessage, a resend with TIMMsgSendMessage; reference §6.2) ->
// their requests.
#include "json_internal.h"

namespace timclient {

using internal::Json;

namespace {

ParseResult Param(std::string* why, std::string text) {
  *why = std::move(text);
  return ParseResult::kParam;
}

}  // namespace

ParseResult ParseMessageId(const char* json_msg, std::string* msg_id, std::string* why) {
  Json j;
  if (auto r = internal::ParseText(json_msg, &j, why); r != ParseResult::kOk) return r;
  if (!j.is_object()) return Param(why, "message must be a JSON object");
  std::string id;
  if (!internal::ReadString(j, "message_msg_id", true, &id, why)) return ParseResult::kParam;
  if (id.empty()) return Param(why, "message_msg_id is empty");
  *msg_id = std::move(id);
  return ParseResult::kOk;
}

std::string ResentMessageId(const char* json_msg) {
  const Json j = Json::parse(json_msg ? json_msg : "", nullptr, false);
  if (!j.is_object()) return "";
  std::string id, why;
  std::optional<bool> from_self, forward;
  if (!internal::ReadString(j, "message_msg_id", false, &id, &why) ||
      !internal::ReadBool(j, "message_is_from_self", &from_self, &why) ||
      !internal::ReadBool(j, "message_is_forward_message", &forward, &why)) {
    return "";
  }
  return from_self.value_or(false) && !forward.value_or(false) ? id : "";
}

ParseResult ParseModifyMessage(const char* json_msg, tim::v1::ModifyMessageRequest* out, std::string* why) {
  std::string msg_id;
  if (auto r = ParseMessageId(json_msg, &msg_id, why); r != ParseResult::kOk) return r;
  tim::v1::SendMessageRequest content;
  if (auto r = ParseMessage(json_msg, &content, why); r != ParseResult::kOk) return r;
  const Json j = Json::parse(json_msg);  // parsed above already: cannot fail
  std::string conv_id;
  std::optional<int64_t> conv_type;
  if (!internal::ReadString(j, "message_conv_id", true, &conv_id, why) ||
      !internal::ReadInt64(j, "message_conv_type", true, &conv_type, why)) {
    return ParseResult::kParam;
  }
  if (*conv_type < tim::v1::CONV_C2C || *conv_type > tim::v1::CONV_SYSTEM) {
    return Param(why, "message_conv_type " + std::to_string(*conv_type) + " is not a conversation type");
  }
  out->set_msg_id(msg_id);
  out->set_conv_id(conv_id);
  out->set_conv_type(static_cast<tim::v1::ConvType>(*conv_type));
  out->mutable_elems()->Swap(content.mutable_elems());
  out->set_cloud_custom_str(content.cloud_custom_str());
  return ParseResult::kOk;
}

}  // namespace timclient
