// Message and element objects, TIM key names (reference §5.1, §5.2).
#include "json_internal.h"

namespace timclient {
namespace internal {
namespace {

using tim::v1::Elem;
using tim::v1::ElemType;
using tim::v1::FileElem;

constexpr int kTimElemInvalid = -1;
constexpr int kTimMsgSendSucc = 2;

// TIMImageElem format number from a MIME type (0xff: unknown).
int ImageFormat(const std::string& media_type) {
  if (media_type == "image/jpeg" || media_type == "image/jpg") return 1;
  if (media_type == "image/gif") return 2;
  if (media_type == "image/png") return 3;
  if (media_type == "image/bmp") return 4;
  return 0xff;
}

// "video/mp4" -> "mp4" (`top` "video/"), "image/png" -> "png" (`top`
// "image/"): TIM's video_elem_video_type and video_elem_image_type are file
// types. The exact inverse of ParseMessage's mapping, which adds `top` only
// to a type without a slash: any other media type is written as it is.
std::string FileType(const std::string& media_type, std::string_view top) {
  const bool plain = media_type.size() > top.size() && media_type.rfind(top, 0) == 0 &&
                     media_type.find('/', top.size()) == std::string::npos;
  return plain ? media_type.substr(top.size()) : media_type;
}

void AddImage(const FileElem& f, Json* e) {
  (*e)["image_elem_orig_path"] = f.local_path();
  (*e)["image_elem_level"] = 0;  // kTIMImageLevel_Orig: timd keeps the original only
  (*e)["image_elem_format"] = ImageFormat(f.media_type());
  // No server makes thumbnails over XMPP: the thumb and large levels are the
  // original too, so an app that shows one of them shows the picture.
  for (const char* level : {"orig", "thumb", "large"}) {
    const std::string prefix = std::string("image_elem_") + level;
    (*e)[prefix + "_id"] = f.id();
    (*e)[prefix + "_pic_width"] = f.width();
    (*e)[prefix + "_pic_height"] = f.height();
    (*e)[prefix + "_pic_size"] = f.file_size();
    (*e)[prefix + "_url"] = f.url();
  }
}

void AddSound(const FileElem& f, Json* e) {
  (*e)["sound_elem_file_path"] = f.local_path();
  (*e)["sound_elem_file_size"] = f.file_size();
  (*e)["sound_elem_file_time"] = f.duration_s();
  (*e)["sound_elem_file_id"] = f.id();
  (*e)["sound_elem_url"] = f.url();
}

void AddFile(const FileElem& f, Json* e) {
  (*e)["file_elem_file_path"] = f.local_path();
  (*e)["file_elem_file_name"] = f.file_name();
  (*e)["file_elem_file_size"] = f.file_size();
  (*e)["file_elem_file_id"] = f.id();
  (*e)["file_elem_url"] = f.url();
}

void AddVideo(const FileElem& f, Json* e) {
  (*e)["video_elem_video_type"] = FileType(f.media_type(), "video/");
  (*e)["video_elem_video_size"] = f.file_size();
  (*e)["video_elem_video_duration"] = f.duration_s();
  (*e)["video_elem_video_path"] = f.local_path();
  (*e)["video_elem_video_id"] = f.id();
  (*e)["video_elem_video_url"] = f.url();
  // The snapshot's, when the video has one; else the video's own size.
  const FileElem& image = f.has_snapshot() ? f.snapshot() : f;
  (*e)["video_elem_image_width"] = image.width();
  (*e)["video_elem_image_height"] = image.height();
  const FileElem& snapshot = f.snapshot();
  (*e)["video_elem_image_type"] = FileType(snapshot.media_type(), "image/");
  (*e)["video_elem_image_size"] = snapshot.file_size();
  (*e)["video_elem_image_path"] = snapshot.local_path();
  (*e)["video_elem_image_id"] = snapshot.id();
  (*e)["video_elem_image_url"] = snapshot.url();
}

void AddFileLike(ElemType type, const FileElem& f, Json* e) {
  switch (type) {
    case tim::v1::ELEM_IMAGE: AddImage(f, e); break;
    case tim::v1::ELEM_SOUND: AddSound(f, e); break;
    case tim::v1::ELEM_VIDEO: AddVideo(f, e); break;
    default: AddFile(f, e); break;
  }
}

Json ElemObject(const Elem& elem) {
  Json e = Json::object();
  e["elem_type"] = elem.type() == tim::v1::ELEM_INVALID ? kTimElemInvalid : static_cast<int>(elem.type());
  switch (elem.body_case()) {
    case Elem::kText:
      e["text_elem_content"] = elem.text().content();
      break;
    case Elem::kCustom:
      e["custom_elem_data"] = elem.custom().data();
      e["custom_elem_desc"] = elem.custom().desc();
      e["custom_elem_ext"] = elem.custom().ext();
      e["custom_elem_sound"] = elem.custom().sound();
      break;
    case Elem::kFile:
      AddFileLike(elem.type(), elem.file(), &e);
      break;
    case Elem::kLocation:
      e["location_elem_desc"] = elem.location().desc();
      e["location_elem_longitude"] = elem.location().longitude();
      e["location_elem_latitude"] = elem.location().latitude();
      break;
    case Elem::kFace:
      e["face_elem_index"] = elem.face().index();
      e["face_elem_buf"] = elem.face().data();
      break;
    case Elem::kGroupTips:
      e.update(GroupTipObject(elem.group_tips()));
      break;
    case Elem::kGroupReport: {
      const auto& r = elem.group_report();
      e["group_report_elem_report_type"] = r.report_type();
      e["group_report_elem_group_id"] = r.group_id();
      e["group_report_elem_group_name"] = r.group_name();
      e["group_report_elem_op_user"] = r.op_user();
      e["group_report_elem_msg"] = r.msg();
      e["group_report_elem_user_data"] = r.user_data();
      break;
    }
    case Elem::BODY_NOT_SET:
      break;
  }
  return e;
}

}  // namespace

Json MessageObject(const tim::v1::Message& msg) {
  Json elems = Json::array();
  for (const auto& elem : msg.elems()) elems.push_back(ElemObject(elem));
  Json m = Json::object();
  m["message_elem_array"] = std::move(elems);
  m["message_conv_id"] = msg.conv_id();
  m["message_conv_type"] = ConvTypeNumber(msg.conv_type());
  m["message_sender"] = msg.sender();
  m["message_priority"] = msg.priority();
  m["message_client_time"] = msg.client_time();
  m["message_server_time"] = msg.server_time();
  m["message_is_from_self"] = msg.is_from_self();
  m["message_platform"] = msg.platform();
  m["message_is_read"] = msg.is_read();
  m["message_is_online_msg"] = msg.is_online_msg();
  m["message_is_peer_read"] = msg.is_peer_read();
  m["message_need_read_receipt"] = msg.need_read_receipt();
  m["message_is_excluded_from_unread_count"] = msg.is_excluded_from_unread_count();
  m["message_status"] = msg.status() == tim::v1::MSG_STATUS_UNSPECIFIED ? kTimMsgSendSucc
                                                                        : static_cast<int>(msg.status());
  m["message_unique_id"] = msg.unique_id();
  m["message_msg_id"] = msg.msg_id();
  m["message_rand"] = msg.rand();
  m["message_seq"] = msg.seq();
  m["message_cloud_custom_str"] = msg.cloud_custom_str();
  m["message_custom_int"] = msg.custom_int();
  m["message_custom_str"] = msg.custom_str();
  return m;
}

}  // namespace internal

std::string MessageJson(const tim::v1::Message& msg) { return internal::Dump(internal::MessageObject(msg)); }

std::string MessageArrayJson(const Repeated<tim::v1::Message>& msgs) {
  internal::Json a = internal::Json::array();
  for (const auto& msg : msgs) a.push_back(internal::MessageObject(msg));
  return internal::Dump(a);
}

}  // namespace timclient
