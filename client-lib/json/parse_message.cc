// App JSON -> SendMessageRequest / GetMessagesRequest (reference §5.1, §5.2, §6.2).
#include <algorithm>
#include <cstdint>
#include <limits>

#include "json_internal.h"

namespace timclient {

using internal::Json;

namespace {

bool Fail(std::string* why, std::string text) {
  *why = std::move(text);
  return false;
}

bool ToUint32(const std::optional<uint64_t>& v, const char* key, uint32_t* out, std::string* why) {
  if (!v) return true;
  if (*v > std::numeric_limits<uint32_t>::max()) return Fail(why, std::string(key) + " is too large");
  *out = static_cast<uint32_t>(*v);
  return true;
}

// video_elem_image_*: the snapshot goes with the video when it has a path
// (the daemon checks and uploads it); its width and height are the ones the
// video already took.
bool ParseSnapshot(const Json& e, tim::v1::FileElem* video, std::string* why) {
  std::string path, image_type;
  std::optional<uint64_t> size;
  if (!internal::ReadString(e, "video_elem_image_path", false, &path, why) ||
      !internal::ReadString(e, "video_elem_image_type", false, &image_type, why) ||
      !internal::ReadUint64(e, "video_elem_image_size", false, &size, why)) {
    return false;
  }
  if (path.empty()) return true;
  tim::v1::FileElem* snapshot = video->mutable_snapshot();
  snapshot->set_local_path(path);
  if (!image_type.empty()) {
    snapshot->set_media_type(image_type.find('/') == std::string::npos ? "image/" + image_type : image_type);
  }
  if (size) snapshot->set_file_size(*size);
  snapshot->set_width(video->width());
  snapshot->set_height(video->height());
  return true;
}

// Reads the FileElem fields shared by image, sound, file and video.
bool ParseFileLike(const Json& e, int type, tim::v1::FileElem* f, std::string* why) {
  std::optional<uint64_t> size, seconds, width, height;
  std::string video_type;
  switch (type) {
    case tim::v1::ELEM_IMAGE:
      if (!internal::ReadString(e, "image_elem_orig_path", true, f->mutable_local_path(), why)) return false;
      break;
    case tim::v1::ELEM_SOUND:
      if (!internal::ReadString(e, "sound_elem_file_path", true, f->mutable_local_path(), why) ||
          !internal::ReadUint64(e, "sound_elem_file_size", false, &size, why) ||
          !internal::ReadUint64(e, "sound_elem_file_time", false, &seconds, why)) {
        return false;
      }
      break;
    case tim::v1::ELEM_FILE:
      if (!internal::ReadString(e, "file_elem_file_path", true, f->mutable_local_path(), why) ||
          !internal::ReadString(e, "file_elem_file_name", false, f->mutable_file_name(), why) ||
          !internal::ReadUint64(e, "file_elem_file_size", false, &size, why)) {
        return false;
      }
      break;
    default:  // video
      if (!internal::ReadString(e, "video_elem_video_path", true, f->mutable_local_path(), why) ||
          !internal::ReadString(e, "video_elem_video_type", false, &video_type, why) ||
          !internal::ReadUint64(e, "video_elem_video_size", false, &size, why) ||
          !internal::ReadUint64(e, "video_elem_video_duration", false, &seconds, why) ||
          !internal::ReadUint64(e, "video_elem_image_width", false, &width, why) ||
          !internal::ReadUint64(e, "video_elem_image_height", false, &height, why)) {
        return false;
      }
      if (!video_type.empty()) {
        f->set_media_type(video_type.find('/') == std::string::npos ? "video/" + video_type : video_type);
      }
      break;
  }
  if (size) f->set_file_size(*size);
  uint32_t value = 0;
  if (!ToUint32(seconds, "duration", &value, why)) return false;
  if (seconds) f->set_duration_s(value);
  if (!ToUint32(width, "video_elem_image_width", &value, why)) return false;
  if (width) f->set_width(value);
  if (!ToUint32(height, "video_elem_image_height", &value, why)) return false;
  if (height) f->set_height(value);
  return type != tim::v1::ELEM_VIDEO || ParseSnapshot(e, f, why);
}

bool ParseElem(const Json& e, tim::v1::Elem* out, std::string* why) {
  if (!e.is_object()) return Fail(why, "message_elem_array items must be objects");
  std::optional<int64_t> type;
  if (!internal::ReadInt64(e, "elem_type", true, &type, why)) return false;
  switch (*type) {
    case tim::v1::ELEM_TEXT:
      out->set_type(tim::v1::ELEM_TEXT);
      return internal::ReadString(e, "text_elem_content", true, out->mutable_text()->mutable_content(), why);
    case tim::v1::ELEM_CUSTOM: {
      out->set_type(tim::v1::ELEM_CUSTOM);
      auto* c = out->mutable_custom();
      return internal::ReadString(e, "custom_elem_data", false, c->mutable_data(), why) &&
             internal::ReadString(e, "custom_elem_desc", false, c->mutable_desc(), why) &&
             internal::ReadString(e, "custom_elem_ext", false, c->mutable_ext(), why) &&
             internal::ReadString(e, "custom_elem_sound", false, c->mutable_sound(), why);
    }
    case tim::v1::ELEM_FACE: {
      out->set_type(tim::v1::ELEM_FACE);
      std::optional<int64_t> index;
      if (!internal::ReadInt64(e, "face_elem_index", true, &index, why)) return false;
      if (*index < std::numeric_limits<int32_t>::min() || *index > std::numeric_limits<int32_t>::max()) {
        return Fail(why, "face_elem_index is out of range");
      }
      out->mutable_face()->set_index(static_cast<int32_t>(*index));
      return internal::ReadString(e, "face_elem_buf", false, out->mutable_face()->mutable_data(), why);
    }
    case tim::v1::ELEM_LOCATION: {
      out->set_type(tim::v1::ELEM_LOCATION);
      std::optional<double> longitude, latitude;
      auto* l = out->mutable_location();
      if (!internal::ReadString(e, "location_elem_desc", false, l->mutable_desc(), why) ||
          !internal::ReadDouble(e, "location_elem_longitude", true, &longitude, why) ||
          !internal::ReadDouble(e, "location_elem_latitude", true, &latitude, why)) {
        return false;
      }
      l->set_longitude(*longitude);
      l->set_latitude(*latitude);
      return true;
    }
    case tim::v1::ELEM_IMAGE:
    case tim::v1::ELEM_SOUND:
    case tim::v1::ELEM_FILE:
    case tim::v1::ELEM_VIDEO:
      out->set_type(static_cast<tim::v1::ElemType>(*type));
      return ParseFileLike(e, static_cast<int>(*type), out->mutable_file(), why);
    case tim::v1::ELEM_GROUP_TIPS:
    case tim::v1::ELEM_GROUP_REPORT:
    case tim::v1::ELEM_FRIEND_CHANGE:
    case tim::v1::ELEM_PROFILE_CHANGE:
      return Fail(why, "elem_type " + std::to_string(*type) + " is made by the server and cannot be sent");
    case tim::v1::ELEM_MERGE:
      return Fail(why, "merge elements are not supported");
    default:
      return Fail(why, "unknown elem_type " + std::to_string(*type));
  }
}

bool CheckEmptyArray(const Json& obj, const char* key, std::string* why) {
  auto it = obj.find(key);
  if (it == obj.end()) return true;
  if (!it->is_array()) return Fail(why, std::string(key) + " must be an array");
  if (!it->empty()) return Fail(why, std::string(key) + " is not supported by timd");
  return true;
}

}  // namespace

ParseResult ParseMessage(const char* json_msg, tim::v1::SendMessageRequest* out, std::string* why) {
  Json j;
  if (auto r = internal::ParseText(json_msg, &j, why); r != ParseResult::kOk) return r;
  if (!j.is_object()) return Fail(why, "message must be a JSON object"), ParseResult::kParam;
  auto elems = j.find("message_elem_array");
  if (elems == j.end()) return Fail(why, "missing message_elem_array"), ParseResult::kParam;
  if (!elems->is_array()) return Fail(why, "message_elem_array must be an array"), ParseResult::kParam;
  if (elems->empty()) return Fail(why, "message_elem_array is empty"), ParseResult::kParam;

  tim::v1::SendMessageRequest parsed;
  for (const auto& e : *elems) {
    if (!ParseElem(e, parsed.add_elems(), why)) return ParseResult::kParam;
  }
  std::optional<bool> need_receipt, excluded_from_unread, online_only;
  std::optional<uint64_t> priority;
  if (!internal::ReadString(j, "message_cloud_custom_str", false, parsed.mutable_cloud_custom_str(), why) ||
      !internal::ReadBool(j, "message_need_read_receipt", &need_receipt, why) ||
      !internal::ReadBool(j, "message_is_excluded_from_unread_count", &excluded_from_unread, why) ||
      !internal::ReadBool(j, "message_is_online_msg", &online_only, why) ||
      !internal::ReadUint64(j, "message_priority", false, &priority, why)) {
    return ParseResult::kParam;
  }
  // timd answers a priority above 3 (TIMMsgPriority) with 6017; so it must see one.
  out->set_priority(static_cast<uint32_t>(std::min<uint64_t>(priority.value_or(1), UINT32_MAX)));
  out->set_is_excluded_from_unread_count(excluded_from_unread.value_or(false));
  out->set_is_online_msg(online_only.value_or(false));
  out->mutable_elems()->Swap(parsed.mutable_elems());
  out->set_cloud_custom_str(parsed.cloud_custom_str());
  out->set_need_read_receipt(need_receipt.value_or(false));
  return ParseResult::kOk;
}

ParseResult ParseGetMsgListParam(const char* json, tim::v1::GetMessagesRequest* out, std::string* why) {
  auto set_page = [out](uint32_t count, bool forward, uint64_t anchor, uint64_t time_begin, uint64_t time_period) {
    out->set_count(count);
    out->set_is_forward(forward);
    out->set_before_seq(forward ? 0 : anchor);
    out->set_after_seq(forward ? anchor : 0);
    out->set_time_begin(time_begin);
    out->set_time_period(time_period);
  };
  if (json == nullptr || *json == '\0') {
    set_page(0, false, 0, 0, 0);
    return ParseResult::kOk;
  }
  Json j;
  if (auto r = internal::ParseText(json, &j, why); r != ParseResult::kOk) return r;
  if (!j.is_object()) return Fail(why, "get-message-list param must be a JSON object"), ParseResult::kParam;

  std::optional<uint64_t> count, last_msg_seq, time_begin, time_period, anchor_seq;
  std::optional<bool> forward, ramble, remble;
  uint32_t count32 = 0;
  out->clear_message_types();
  if (!internal::ReadUint64(j, "msg_getmsglist_param_count", false, &count, why) ||
      !ToUint32(count, "msg_getmsglist_param_count", &count32, why) ||
      !internal::ReadBool(j, "msg_getmsglist_param_is_forward", &forward, why) ||
      !internal::ReadBool(j, "msg_getmsglist_param_is_ramble", &ramble, why) ||
      !internal::ReadBool(j, "msg_getmsglist_param_is_remble", &remble, why) ||
      !internal::ReadUint64(j, "msg_getmsglist_param_last_msg_seq", false, &last_msg_seq, why) ||
      !internal::ReadUint64(j, "msg_getmsglist_param_time_begin", false, &time_begin, why) ||
      !internal::ReadUint64(j, "msg_getmsglist_param_time_period", false, &time_period, why) ||
      !CheckEmptyArray(j, "msg_getmsglist_param_message_seq_array", why) ||
      !internal::ReadElemTypes(j, "msg_getmsglist_param_message_type_array", out->mutable_message_types(), why)) {
    return ParseResult::kParam;
  }
  const bool is_forward = forward.value_or(false);
  // The anchor itself is excluded; last_msg_seq names a message to include.
  uint64_t anchor = 0;
  if (auto last = j.find("msg_getmsglist_param_last_msg"); last != j.end()) {
    if (!last->is_object()) return Fail(why, "msg_getmsglist_param_last_msg must be an object"), ParseResult::kParam;
    if (!internal::ReadUint64(*last, "message_seq", true, &anchor_seq, why)) return ParseResult::kParam;
    if (*anchor_seq == 0) return Fail(why, "msg_getmsglist_param_last_msg has no message_seq"), ParseResult::kParam;
    anchor = *anchor_seq;
  } else if (last_msg_seq.value_or(0) != 0) {
    const uint64_t seq = *last_msg_seq;
    anchor = is_forward ? seq - 1 : seq == std::numeric_limits<uint64_t>::max() ? seq : seq + 1;
  }
  set_page(count32, is_forward, anchor, time_begin.value_or(0), time_period.value_or(0));
  out->set_is_ramble(ramble.value_or(remble.value_or(false)));
  return ParseResult::kOk;
}

}  // namespace timclient
