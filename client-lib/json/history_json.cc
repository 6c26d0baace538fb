// History and lookup JSON (reference §6.2): message-ID arrays, MsgLocator
// arrays, MsgDeleteParam, the local custom data of a Message, and
// MessageSearchParam / MessageSearchResult.
#include <limits>

#include "json_internal.h"

namespace timclient {

using internal::Json;

namespace {

ParseResult Param(std::string* why, std::string text) {
  *why = std::move(text);
  return ParseResult::kParam;
}

// Parses `text` as a non-empty JSON array into *array.
ParseResult NonEmptyArray(const char* text, Json* array, std::string* why) {
  if (ParseResult parsed = internal::ParseText(text, array, why); parsed != ParseResult::kOk) return parsed;
  if (!array->is_array() || array->empty()) return Param(why, "a non-empty JSON array is expected");
  return ParseResult::kOk;
}

}  // namespace

bool internal::ReadElemTypes(const Json& obj, const char* key, google::protobuf::RepeatedField<int>* out,
                             std::string* why) {
  auto types = obj.find(key);
  if (types == obj.end()) return true;
  if (!types->is_array()) return Param(why, std::string(key) + " must be an array"), false;
  for (const Json& type : *types) {
    if (!type.is_number_unsigned() || type.get<uint64_t>() > tim::v1::ELEM_INVALID) {
      return Param(why, std::string(key) + " holds a TIMElemType that does not exist"), false;
    }
    out->Add(static_cast<int>(type.get<uint64_t>()));
  }
  return true;
}

ParseResult ParseStringArray(const char* json_array, Repeated<std::string>* out, std::string* why) {
  Json array;
  if (ParseResult parsed = NonEmptyArray(json_array, &array, why); parsed != ParseResult::kOk) return parsed;
  for (const Json& item : array) {
    if (!item.is_string()) return Param(why, "an array of message-ID strings is expected");
    *out->Add() = item.get<std::string>();
  }
  return ParseResult::kOk;
}

ParseResult ParseLocatorArray(const char* json_array, Repeated<tim::v1::MessageLocator>* out, std::string* why) {
  Json array;
  if (ParseResult parsed = NonEmptyArray(json_array, &array, why); parsed != ParseResult::kOk) return parsed;
  for (const Json& item : array) {
    if (!item.is_object()) return Param(why, "an array of MsgLocator objects is expected");
    std::optional<uint64_t> time, seq, rand, unique_id;
    if (!internal::ReadUint64(item, "message_locator_time", false, &time, why) ||
        !internal::ReadUint64(item, "message_locator_seq", false, &seq, why) ||
        !internal::ReadUint64(item, "message_locator_rand", false, &rand, why) ||
        !internal::ReadUint64(item, "message_locator_unique_id", false, &unique_id, why)) {
      return ParseResult::kParam;
    }
    tim::v1::MessageLocator& locator = *out->Add();
    locator.set_time(time.value_or(0));
    locator.set_seq(seq.value_or(0));
    locator.set_rand(rand.value_or(0));
    locator.set_unique_id(unique_id.value_or(0));
  }
  return ParseResult::kOk;
}

ParseResult ParseDeleteParam(const char* json, std::string* msg_id, std::string* why) {
  Json j;
  if (auto r = internal::ParseText(json, &j, why); r != ParseResult::kOk) return r;
  if (!j.is_object()) return Param(why, "MsgDeleteParam must be a JSON object");
  auto msg = j.find("msg_delete_param_msg");
  if (msg == j.end() || !msg->is_object()) return Param(why, "msg_delete_param_msg must be a Message object");
  std::string id;
  if (!internal::ReadString(*msg, "message_msg_id", true, &id, why)) return ParseResult::kParam;
  if (id.empty()) return Param(why, "message_msg_id is empty");
  *msg_id = std::move(id);
  return ParseResult::kOk;
}

ParseResult ParseLocalCustomData(const char* json_msg, tim::v1::SetLocalCustomDataRequest* out, std::string* why) {
  Json j;
  if (auto r = internal::ParseText(json_msg, &j, why); r != ParseResult::kOk) return r;
  if (!j.is_object()) return Param(why, "message must be a JSON object");
  std::string msg_id, custom_str;
  std::optional<uint64_t> custom_int;
  if (!internal::ReadString(j, "message_msg_id", true, &msg_id, why) ||
      !internal::ReadUint64(j, "message_custom_int", false, &custom_int, why) ||
      !internal::ReadString(j, "message_custom_str", false, &custom_str, why)) {
    return ParseResult::kParam;
  }
  if (msg_id.empty()) return Param(why, "message_msg_id is empty");
  if (custom_int.value_or(0) > std::numeric_limits<uint32_t>::max()) return Param(why, "message_custom_int is too large");
  out->set_msg_id(msg_id);
  out->set_custom_int(static_cast<uint32_t>(custom_int.value_or(0)));
  out->set_custom_str(custom_str);
  return ParseResult::kOk;
}

ParseResult ParseSearchParam(const char* json, tim::v1::SearchLocalMessagesRequest* out, std::string* why) {
  Json j;
  if (auto r = internal::ParseText(json, &j, why); r != ParseResult::kOk) return r;
  if (!j.is_object()) return Param(why, "MessageSearchParam must be a JSON object");
  tim::v1::SearchLocalMessagesRequest parsed;
  auto strings = [&](const char* key, Repeated<std::string>* into) {
    auto it = j.find(key);
    if (it == j.end()) return true;
    if (!it->is_array()) return Param(why, std::string(key) + " must be an array of strings"), false;
    for (const Json& item : *it) {
      if (!item.is_string()) return Param(why, std::string(key) + " must be an array of strings"), false;
      *into->Add() = item.get<std::string>();
    }
    return true;
  };
  std::optional<uint64_t> match, conv_type, position, period, index, size;
  if (!strings("msg_search_param_keyword_array", parsed.mutable_keywords()) ||
      !strings("msg_search_param_send_indentifier_array", parsed.mutable_sender_ids()) ||
      !internal::ReadUint64(j, "msg_search_param_keyword_list_match_type", false, &match, why) ||
      !internal::ReadString(j, "msg_search_param_conv_id", false, parsed.mutable_conv_id(), why) ||
      !internal::ReadUint64(j, "msg_search_param_conv_type", false, &conv_type, why) ||
      !internal::ReadUint64(j, "msg_search_param_search_time_position", false, &position, why) ||
      !internal::ReadUint64(j, "msg_search_param_search_time_period", false, &period, why) ||
      !internal::ReadUint64(j, "msg_search_param_page_index", false, &index, why) ||
      !internal::ReadUint64(j, "msg_search_param_page_size", false, &size, why) ||
      !internal::ReadElemTypes(j, "msg_search_param_message_type_array", parsed.mutable_message_types(), why)) {
    return ParseResult::kParam;
  }
  const uint64_t limit = std::numeric_limits<uint32_t>::max();
  if (match.value_or(0) > limit || conv_type.value_or(0) > tim::v1::CONV_SYSTEM || index.value_or(0) > limit ||
      size.value_or(0) > limit) {
    return Param(why, "a MessageSearchParam number is out of range");
  }
  parsed.set_match_type(static_cast<uint32_t>(match.value_or(0)));
  parsed.set_conv_type(static_cast<tim::v1::ConvType>(conv_type.value_or(0)));
  parsed.set_time_position(position.value_or(0));
  parsed.set_time_period(period.value_or(0));
  parsed.set_page_index(static_cast<uint32_t>(index.value_or(0)));
  parsed.set_page_size(static_cast<uint32_t>(size.value_or(0)));
  *out = std::move(parsed);
  return ParseResult::kOk;
}

std::string SearchResultJson(const tim::v1::SearchLocalMessagesResponse& response) {
  Json items = Json::array();
  for (const auto& item : response.items()) {
    Json messages = Json::array();
    for (const auto& msg : item.messages()) messages.push_back(internal::MessageObject(msg));
    items.push_back({{"msg_search_result_item_conv_id", item.conv_id()},
                     {"msg_search_result_item_conv_type", internal::ConvTypeNumber(item.conv_type())},
                     {"msg_search_result_item_total_message_count", item.total_message_count()},
                     {"msg_search_result_item_message_array", std::move(messages)}});
  }
  Json result = Json::object();
  result["msg_search_result_total_count"] = response.total_count();
  result["msg_search_result_item_array"] = std::move(items);
  return internal::Dump(result);
}

}  // namespace timclient
