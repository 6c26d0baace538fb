// JSON of TIMMsgSaveMsg, TIMMsgImportMsgList and TIMMsgBatchSend
// (reference §6.2): Message objects as ParseMessage reads them, plus the
// keys an imported message keeps, and the batch-send param and results.
#include "json_internal.h"

namespace timclient {

using internal::Json;

namespace {

ParseResult Param(std::string* why, std::string text) {
  *why = std::move(text);
  return ParseResult::kParam;
}

// The options ParseMessage read (message_need_read_receipt,
// message_is_excluded_from_unread_count, message_priority,
// message_is_online_msg) onto an ImportedMessage or a BatchSendRequest.
template <typename Out>
void CopyOptions(const tim::v1::SendMessageRequest& content, Out* out) {
  out->set_need_read_receipt(content.need_read_receipt());
  out->set_is_excluded_from_unread_count(content.is_excluded_from_unread_count());
  out->set_priority(content.priority());
  out->set_is_online_msg(content.is_online_msg());
}

// One Message object -> ImportedMessage.
ParseResult ParseImported(const Json& msg, tim::v1::ImportedMessage* out, std::string* why) {
  if (!msg.is_object()) return Param(why, "a Message object is expected");
  tim::v1::SendMessageRequest content;
  if (auto r = ParseMessage(internal::Dump(msg).c_str(), &content, why); r != ParseResult::kOk) return r;
  std::optional<bool> from_self;
  std::optional<uint64_t> server_time;
  if (!internal::ReadString(msg, "message_msg_id", false, out->mutable_msg_id(), why) ||
      !internal::ReadBool(msg, "message_is_from_self", &from_self, why) ||
      !internal::ReadUint64(msg, "message_server_time", false, &server_time, why)) {
    return ParseResult::kParam;
  }
  out->mutable_elems()->Swap(content.mutable_elems());
  out->set_cloud_custom_str(content.cloud_custom_str());
  CopyOptions(content, out);
  out->set_is_from_self(from_self.value_or(false));
  out->set_server_time(server_time.value_or(0));
  return ParseResult::kOk;
}

}  // namespace

ParseResult ParseSavedMessage(const char* json_msg, tim::v1::ImportedMessage* out, std::string* why) {
  Json msg;
  if (auto r = internal::ParseText(json_msg, &msg, why); r != ParseResult::kOk) return r;
  if (auto r = ParseImported(msg, out, why); r != ParseResult::kOk) return r;
  out->set_is_from_self(true);
  return ParseResult::kOk;
}

ParseResult ParseImportArray(const char* json_msg_array, Repeated<tim::v1::ImportedMessage>* out, std::string* why) {
  Json array;
  if (auto r = internal::ParseText(json_msg_array, &array, why); r != ParseResult::kOk) return r;
  if (!array.is_array() || array.empty()) return Param(why, "a non-empty array of Message is expected");
  for (const Json& msg : array) {
    if (auto r = ParseImported(msg, out->Add(), why); r != ParseResult::kOk) return r;
  }
  return ParseResult::kOk;
}

ParseResult ParseBatchSendParam(const char* json, tim::v1::BatchSendRequest* out, std::string* why) {
  Json j;
  if (auto r = internal::ParseText(json, &j, why); r != ParseResult::kOk) return r;
  if (!j.is_object()) return Param(why, "BatchSendParam must be a JSON object");
  auto users = j.find("msg_batch_send_param_identifier_array");
  if (users == j.end() || !users->is_array() || users->empty()) {
    return Param(why, "msg_batch_send_param_identifier_array must be a non-empty array of user IDs");
  }
  for (const Json& user : *users) {
    if (!user.is_string()) return Param(why, "msg_batch_send_param_identifier_array must hold strings");
    *out->add_user_ids() = user.get<std::string>();
  }
  auto msg = j.find("msg_batch_send_param_msg");
  if (msg == j.end() || !msg->is_object()) return Param(why, "msg_batch_send_param_msg must be a Message object");
  tim::v1::SendMessageRequest content;
  if (auto r = ParseMessage(internal::Dump(*msg).c_str(), &content, why); r != ParseResult::kOk) return r;
  out->mutable_elems()->Swap(content.mutable_elems());
  out->set_cloud_custom_str(content.cloud_custom_str());
  CopyOptions(content, out);
  return ParseResult::kOk;
}

std::string BatchSendResultJson(const tim::v1::BatchSendResponse& response) {
  Json results = Json::array();
  for (const auto& result : response.results()) {
    Json item = Json::object();
    item["msg_batch_send_result_identifier"] = result.user_id();
    item["msg_batch_send_result_code"] = result.code();
    item["msg_batch_send_result_desc"] = result.desc();
    if (result.has_message()) item["msg_batch_send_result_msg"] = internal::MessageObject(result.message());
    results.push_back(std::move(item));
  }
  return internal::Dump(results);
}

}  // namespace timclient
