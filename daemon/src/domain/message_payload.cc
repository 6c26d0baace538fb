#include "domain/message_payload.h"

#include <google/protobuf/util/json_util.h>

#include <cmath>
#include <cstdio>

#include "domain/file_elems.h"
#include "domain/text_validation.h"

namespace timd::domain {
namespace {

bool IsSendableType(tim::v1::ElemType type) {
  // Tips and reports are never sent.
  return type == tim::v1::ELEM_TEXT || type == tim::v1::ELEM_CUSTOM || type == tim::v1::ELEM_FACE ||
         type == tim::v1::ELEM_LOCATION || IsFileType(type);
}

bool BodyMatchesType(const tim::v1::Elem& elem) {
  switch (elem.type()) {
    case tim::v1::ELEM_TEXT:
      return elem.has_text();
    case tim::v1::ELEM_CUSTOM:
      return elem.has_custom();
    case tim::v1::ELEM_FACE:
      return elem.has_face();
    case tim::v1::ELEM_LOCATION:
      return elem.has_location();
    case tim::v1::ELEM_IMAGE:
    case tim::v1::ELEM_SOUND:
    case tim::v1::ELEM_FILE:
    case tim::v1::ELEM_VIDEO:
      return elem.has_file();
    default:
      return false;
  }
}

std::optional<std::string> FileStringsProblem(const tim::v1::FileElem& file) {
  for (const std::string* text :
       {&file.local_path(), &file.file_name(), &file.url(), &file.media_type(), &file.sha256(), &file.id()}) {
    if (auto problem = XmlTextProblem(*text)) return problem;
  }
  return std::nullopt;
}

// Every string that ends up in XML text once the payload is serialized.
std::optional<std::string> StringsProblem(const tim::v1::Elem& elem) {
  for (const std::string* text : {&elem.text().content(), &elem.custom().desc(), &elem.custom().ext(),
                                  &elem.custom().sound(), &elem.location().desc()}) {
    if (auto problem = XmlTextProblem(*text)) return problem;
  }
  if (auto problem = FileStringsProblem(elem.file())) return problem;
  return FileStringsProblem(elem.file().snapshot());
}

// Only a video has a snapshot, and a snapshot has none of its own.
bool SnapshotFits(const tim::v1::Elem& elem) {
  if (!elem.file().has_snapshot()) return true;
  return elem.type() == tim::v1::ELEM_VIDEO && !elem.file().snapshot().has_snapshot();
}

}  // namespace

bool BodySaysItAll(const tim::v1::Message& content) {
  return content.elems_size() == 1 && content.elems(0).type() == tim::v1::ELEM_TEXT &&
         content.elems(0).has_text() && content.cloud_custom_str().empty() && !content.need_read_receipt() &&
         !content.is_excluded_from_unread_count() && !content.is_online_msg();
}

Status CheckElem(const tim::v1::Elem& elem, int index) {
  const std::string which = "element " + std::to_string(index);
  if (!BodyMatchesType(elem)) {
    if (!IsSendableType(elem.type())) {
      return Status(Code::kUnimplemented, tim_err::kInterfaceNotSupported,
                    which + " has type " + std::to_string(elem.type()) +
                        ": timd sends text, custom, face, location, image, sound, file and video elements");
    }
    return Status(Code::kInvalidArgument, tim_err::kInvalidMsgElem, which + " has no body of its type");
  }
  if (!SnapshotFits(elem)) {
    return Status(Code::kInvalidArgument, tim_err::kInvalidMsgElem,
                  which + " has a snapshot: only a video has one, and a snapshot has none of its own");
  }
  if (elem.has_location() && !(std::fabs(elem.location().latitude()) <= 90 &&
                                std::fabs(elem.location().longitude()) <= 180)) {
    // Not a place (NaN is caught too): other clients could not read its geoloc.
    return Status(Code::kInvalidArgument, tim_err::kInvalidMsgElem,
                  which + " is a location outside latitude -90..90 / longitude -180..180");
  }
  if (auto problem = StringsProblem(elem)) {
    return Status(Code::kInvalidArgument, tim_err::kInvalidMsgElem, "text of " + which + ", " + *problem + " in XMPP");
  }
  return Status::Ok();
}

tim::v1::Message ShareableContent(const tim::v1::Message& content) {
  tim::v1::Message shared;
  *shared.mutable_elems() = content.elems();
  for (auto& elem : *shared.mutable_elems()) {
    if (!elem.has_file()) continue;
    elem.mutable_file()->clear_local_path();
    if (elem.file().has_snapshot()) elem.mutable_file()->mutable_snapshot()->clear_local_path();
  }
  shared.set_cloud_custom_str(content.cloud_custom_str());
  shared.set_need_read_receipt(content.need_read_receipt());
  shared.set_is_excluded_from_unread_count(content.is_excluded_from_unread_count());
  return shared;
}

std::string EncodePayload(const tim::v1::Message& content) {
  if (BodySaysItAll(content)) return "";
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;  // the keys of mapping §3.1
  options.always_print_enums_as_ints = true;  // TIM's element type numbers
  std::string json;
  // Cannot fail: the message holds only valid UTF-8 (checked on the way in).
  (void)google::protobuf::util::MessageToJsonString(ShareableContent(content), &json, options);
  return json;
}

Result<tim::v1::Message> DecodePayload(std::string_view payload) {
  auto refuse = [](std::string why) {
    return Status(Code::kInvalidArgument, tim_err::kInvalidMsgElem, "timd payload: " + std::move(why));
  };
  if (payload.size() > kMaxPayloadBytes) {
    return refuse(std::to_string(payload.size()) + " bytes, more than " + std::to_string(kMaxPayloadBytes));
  }
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;
  tim::v1::Message parsed;
  auto parsed_ok = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(payload.data(), payload.size()), &parsed, options);
  if (!parsed_ok.ok()) return refuse("not a message: " + std::string(parsed_ok.message()));
  if (parsed.elems_size() == 0 || parsed.elems_size() > kMaxElems) {
    return refuse(std::to_string(parsed.elems_size()) + " elements (1 to " + std::to_string(kMaxElems) + ")");
  }
  for (int i = 0; i < parsed.elems_size(); ++i) {
    if (Status checked = CheckElem(parsed.elems(i), i); !checked.ok()) return refuse(checked.message());
    if (NeedsUpload(parsed.elems(i))) return refuse("element " + std::to_string(i) + " is a file without a URL");
  }
  if (auto problem = XmlTextProblem(parsed.cloud_custom_str())) return refuse("cloud_custom_str, " + *problem);
  return ShareableContent(parsed);
}

std::string FallbackBody(const Elems& elems) {
  std::string body;
  auto append = [&body](const std::string& line) {
    if (line.empty()) return;
    if (!body.empty()) body += '\n';
    body += line;
  };
  for (const auto& elem : elems) {
    switch (elem.type()) {
      case tim::v1::ELEM_TEXT:
        append(elem.text().content());
        break;
      case tim::v1::ELEM_CUSTOM:
        append(elem.custom().desc());
        break;
      case tim::v1::ELEM_FACE:
        append("[face]");
        break;
      case tim::v1::ELEM_LOCATION: {
        char geo[64];
        std::snprintf(geo, sizeof geo, "geo:%.6f,%.6f", elem.location().latitude(), elem.location().longitude());
        append(geo);
        break;
      }
      default:
        if (elem.has_file()) append(elem.file().url());
        break;
    }
  }
  return body;
}

}  // namespace timd::domain
