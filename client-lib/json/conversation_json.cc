// Conversation-call JSON (reference §5.6, §6.3): drafts, conversation keys
// and ID arrays, the list filter, and the per-ID operation results.
#include "json_internal.h"

namespace timclient {

using internal::Json;

namespace {

ParseResult Fail(std::string* why, std::string text) {
  *why = std::move(text);
  return ParseResult::kParam;
}

// Parses `text` as an object (or an array with `array`).
ParseResult ParseContainer(const char* text, bool array, Json* out, std::string* why) {
  if (ParseResult parsed = internal::ParseText(text, out, why); parsed != ParseResult::kOk) return parsed;
  if (array ? !out->is_array() : !out->is_object()) return Fail(why, array ? "a JSON array is expected" : "a JSON object is expected");
  return ParseResult::kOk;
}

}  // namespace

ParseResult ParseDraft(const char* json_draft, tim::v1::Draft* out, std::string* why) {
  Json j;
  if (ParseResult parsed = ParseContainer(json_draft, false, &j, why); parsed != ParseResult::kOk) return parsed;
  auto msg = j.find("draft_msg");
  if (msg != j.end()) {
    tim::v1::SendMessageRequest content;
    if (ParseResult parsed = ParseMessage(msg->dump().c_str(), &content, why); parsed != ParseResult::kOk) {
      return ParseResult::kParam;  // draft_msg itself was valid JSON
    }
    out->mutable_msg()->mutable_elems()->Swap(content.mutable_elems());
    out->mutable_msg()->set_cloud_custom_str(content.cloud_custom_str());
  }
  std::optional<uint64_t> edit_time;
  if (!internal::ReadString(j, "draft_user_define", false, out->mutable_user_define(), why) ||
      !internal::ReadUint64(j, "draft_edit_time", false, &edit_time, why)) {
    return ParseResult::kParam;
  }
  if (msg == j.end() && out->user_define().empty()) return Fail(why, "a draft needs draft_msg or draft_user_define");
  out->set_edit_time(edit_time.value_or(0));
  return ParseResult::kOk;
}

ParseResult ParseConversationKeys(const char* json_get_conv_list_param, Repeated<tim::v1::ConversationKey>* out,
                                  std::string* why) {
  Json array;
  if (ParseResult parsed = ParseContainer(json_get_conv_list_param, true, &array, why); parsed != ParseResult::kOk) {
    return parsed;
  }
  for (const Json& item : array) {
    if (!item.is_object()) return Fail(why, "a GetConversationListParam object is expected");
    auto* key = out->Add();
    std::optional<uint64_t> type;
    if (!internal::ReadString(item, "get_conversation_list_param_conv_id", true, key->mutable_conv_id(), why) ||
        !internal::ReadUint64(item, "get_conversation_list_param_conv_type", true, &type, why)) {
      return ParseResult::kParam;
    }
    if (*type != tim::v1::CONV_C2C && *type != tim::v1::CONV_GROUP) return Fail(why, "conv_type is 1 or 2");
    key->set_conv_type(static_cast<tim::v1::ConvType>(*type));
  }
  return ParseResult::kOk;
}

ParseResult ParseConversationIds(const char* json_id_array, Repeated<std::string>* out, std::string* why) {
  Json array;
  if (ParseResult parsed = ParseContainer(json_id_array, true, &array, why); parsed != ParseResult::kOk) return parsed;
  if (array.empty()) return Fail(why, "no conversation IDs");
  for (const Json& id : array) {
    if (!id.is_string()) return Fail(why, "conversation IDs are strings");
    out->Add(id.get<std::string>());
  }
  return ParseResult::kOk;
}

ParseResult ParseConversationListFilter(const char* json_filter, tim::v1::ConversationListFilter* out,
                                        std::string* why) {
  if (json_filter == nullptr || *json_filter == '\0') return ParseResult::kOk;  // no filter
  Json j;
  if (ParseResult parsed = ParseContainer(json_filter, false, &j, why); parsed != ParseResult::kOk) return parsed;
  std::optional<uint64_t> type, marks;
  std::optional<bool> unread, at_info;
  if (!internal::ReadUint64(j, "conversation_list_filter_conv_type", false, &type, why) ||
      !internal::ReadUint64(j, "conversation_list_filter_mark_type", false, &marks, why) ||
      !internal::ReadBool(j, "conversation_list_filter_has_unread_count", &unread, why) ||
      !internal::ReadBool(j, "conversation_list_filter_has_group_at_info", &at_info, why) ||
      !internal::ReadString(j, "conversation_list_filter_conversation_group", false,
                            out->mutable_conversation_group(), why)) {
    return ParseResult::kParam;
  }
  if (type.value_or(0) > tim::v1::CONV_GROUP) return Fail(why, "conversation_list_filter_conv_type is 0, 1 or 2");
  out->set_conv_type(static_cast<tim::v1::ConvType>(type.value_or(0)));
  out->set_mark_type(marks.value_or(0));
  out->set_has_unread_count(unread.value_or(false));
  out->set_has_group_at_info(at_info.value_or(false));
  return ParseResult::kOk;
}

std::string OperationResultArrayJson(const Repeated<tim::v1::ConversationOperationResult>& results) {
  Json a = Json::array();
  for (const auto& r : results) {
    a.push_back({{"conversation_operation_result_conversation_id", r.conversation_id()},
                 {"conversation_operation_result_result_code", r.result_code()},
                 {"conversation_operation_result_result_info", r.result_info()}});
  }
  return internal::Dump(a);
}

std::string ConversationListResultJson(const tim::v1::GetConversationListByFilterResponse& response) {
  Json o = Json::object();
  o["conversation_list_result_conv_list"] = Json::parse(ConvArrayJson(response.conversations()));
  o["conversation_list_result_next_seq"] = response.next_seq();
  o["conversation_list_result_is_finished"] = response.is_finished();
  return internal::Dump(o);
}

}  // namespace timclient
