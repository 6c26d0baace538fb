// Internal helpers shared by the timclient_json sources.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "tim_json.h"

namespace timclient::internal {

using Json = nlohmann::json;

// Serialises without throwing on invalid UTF-8 (replaced by U+FFFD).
std::string Dump(const Json& j);

Json MessageObject(const tim::v1::Message& msg);
Json GroupTipObject(const tim::v1::GroupTipsElem& tip);

// TIM's conv type number for a proto ConvType.
inline int ConvTypeNumber(tim::v1::ConvType t) { return static_cast<int>(t); }

// Field readers for parsing app JSON. Each returns false (and sets *why) when
// the key is present with the wrong type, or absent while required; an absent
// optional key leaves *out unchanged and returns true.
bool ReadString(const Json& obj, const char* key, bool required, std::string* out, std::string* why);
bool ReadBool(const Json& obj, const char* key, std::optional<bool>* out, std::string* why);
bool ReadUint64(const Json& obj, const char* key, bool required, std::optional<uint64_t>* out, std::string* why);
bool ReadInt64(const Json& obj, const char* key, bool required, std::optional<int64_t>* out, std::string* why);
bool ReadDouble(const Json& obj, const char* key, bool required, std::optional<double>* out, std::string* why);

// A TIMElemType array (message_type_array keys) into *out (ElemType values).
bool ReadElemTypes(const Json& obj, const char* key, google::protobuf::RepeatedField<int>* out, std::string* why);

// Parses text into *out. NULL -> kParam; unparsable -> kJson.
ParseResult ParseText(const char* text, Json* out, std::string* why);

}  // namespace timclient::internal
