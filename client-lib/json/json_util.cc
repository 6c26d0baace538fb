#include "json_internal.h"

namespace timclient::internal {

std::string Dump(const Json& j) { return j.dump(-1, ' ', false, Json::error_handler_t::replace); }

namespace {

bool Missing(const char* key, std::string* why) {
  *why = std::string("missing ") + key;
  return false;
}

bool WrongType(const char* key, const char* expected, std::string* why) {
  *why = std::string(key) + " must be " + expected;
  return false;
}

}  // namespace

bool ReadString(const Json& obj, const char* key, bool required, std::string* out, std::string* why) {
  auto it = obj.find(key);
  if (it == obj.end()) return required ? Missing(key, why) : true;
  if (!it->is_string()) return WrongType(key, "a string", why);
  *out = it->get<std::string>();
  return true;
}

bool ReadBool(const Json& obj, const char* key, std::optional<bool>* out, std::string* why) {
  auto it = obj.find(key);
  if (it == obj.end()) return true;
  if (!it->is_boolean()) return WrongType(key, "a bool", why);
  *out = it->get<bool>();
  return true;
}

bool ReadUint64(const Json& obj, const char* key, bool required, std::optional<uint64_t>* out, std::string* why) {
  auto it = obj.find(key);
  if (it == obj.end()) return required ? Missing(key, why) : true;
  if (it->is_number_unsigned()) {
    *out = it->get<uint64_t>();
    return true;
  }
  if (it->is_number_integer() && it->get<int64_t>() >= 0) {
    *out = static_cast<uint64_t>(it->get<int64_t>());
    return true;
  }
  return WrongType(key, "an unsigned integer", why);
}

bool ReadInt64(const Json& obj, const char* key, bool required, std::optional<int64_t>* out, std::string* why) {
  auto it = obj.find(key);
  if (it == obj.end()) return required ? Missing(key, why) : true;
  if (it->is_number_integer() && !(it->is_number_unsigned() && it->get<uint64_t>() > INT64_MAX)) {
    *out = it->get<int64_t>();
    return true;
  }
  return WrongType(key, "an integer", why);
}

bool ReadDouble(const Json& obj, const char* key, bool required, std::optional<double>* out, std::string* why) {
  auto it = obj.find(key);
  if (it == obj.end()) return required ? Missing(key, why) : true;
  if (!it->is_number()) return WrongType(key, "a number", why);
  *out = it->get<double>();
  return true;
}

ParseResult ParseText(const char* text, Json* out, std::string* why) {
  if (text == nullptr) {
    *why = "JSON argument is NULL";
    return ParseResult::kParam;
  }
  *out = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (out->is_discarded()) {
    *why = "malformed JSON";
    return ParseResult::kJson;
  }
  return ParseResult::kOk;
}

}  // namespace timclient::internal
