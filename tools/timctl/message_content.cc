#include "message_content.h"

#include <filesystem>
#include <optional>
#include <stdexcept>

#include "tim_json.h"

namespace timctl {

void AddMessageJsonOption(CLI::App& command, CLI::Option* text, ContentArgs& args) {
  auto* json = command.add_option("--message-json", args.message_json,
                                  "the message as TIMMsgSendMessage takes it: TIM's Message JSON "
                                  "(message_elem_array, message_cloud_custom_str, message_need_read_receipt)");
  json->check(
      [](const std::string& value) -> std::string {
        tim::v1::SendMessageRequest parsed;
        std::string why;
        return timclient::ParseMessage(value.c_str(), &parsed, &why) == timclient::ParseResult::kOk ? "" : why;
      },
      "TIM Message JSON");
  text->excludes(json);
  command.callback([text, json, &args] {
    if (text->count() + json->count() == 0 && args.file.empty() && args.location.empty()) {
      throw CLI::RequiredError(text->get_name() + " or --message-json");
    }
  });
}

void AddFileOption(CLI::App& command, CLI::Option* text, ContentArgs& args) {
  auto* file = command.add_option("--file", args.file,
                                  "send this local file (uploaded through the server's XEP-0363 service; "
                                  "progress is shown while it uploads)");
  command.add_option("--file-type", args.file_type, "the element type of --file (default file)")
      ->check(CLI::IsMember({"file", "image", "sound", "video"}))
      ->needs(file);
  command.add_option("--snapshot", args.snapshot,
                     "with --file-type video: the video's snapshot image (video_elem_image_path), "
                     "uploaded after the video (timd refuses it on other types)")
      ->needs(file);
  file->excludes(text);
  file->excludes(command.get_option("--message-json"));
}

namespace {

// LAT,LON[,DESC] as a location element; nothing when LAT or LON is not a number.
std::optional<tim::v1::Elem> LocationElemOf(const std::string& value) {
  const size_t first = value.find(',');
  if (first == std::string::npos) return std::nullopt;
  const size_t second = value.find(',', first + 1);
  const std::string lat = value.substr(0, first);
  const std::string lon = value.substr(first + 1, second == std::string::npos ? std::string::npos : second - first - 1);
  tim::v1::Elem elem;
  elem.set_type(tim::v1::ELEM_LOCATION);
  try {
    size_t lat_end = 0, lon_end = 0;
    elem.mutable_location()->set_latitude(std::stod(lat, &lat_end));
    elem.mutable_location()->set_longitude(std::stod(lon, &lon_end));
    if (lat_end != lat.size() || lon_end != lon.size()) return std::nullopt;
  } catch (const std::logic_error&) {
    return std::nullopt;
  }
  if (second != std::string::npos) elem.mutable_location()->set_desc(value.substr(second + 1));
  return elem;
}

}  // namespace

void AddLocationOption(CLI::App& command, ContentArgs& args) {
  auto* location = command.add_option("--location", args.location,
                                      "send a location element, LAT,LON[,DESC] in decimal degrees "
                                      "(other clients read it as XEP-0080 <geoloc/>)");
  location->check([](const std::string& value) -> std::string {
    return LocationElemOf(value) ? "" : "expected LAT,LON[,DESC], e.g. 48.8584,2.2945,Tour Eiffel";
  });
  location->excludes(command.get_option("--message-json"));
  location->excludes(command.get_option("--file"));
}

tim::v1::SendMessageRequest ContentOf(const ContentArgs& args) {
  tim::v1::SendMessageRequest request;
  if (!args.file.empty()) {
    auto* elem = request.add_elems();
    const auto type = args.file_type == "image"   ? tim::v1::ELEM_IMAGE
                      : args.file_type == "sound" ? tim::v1::ELEM_SOUND
                      : args.file_type == "video" ? tim::v1::ELEM_VIDEO
                                                  : tim::v1::ELEM_FILE;
    elem->set_type(type);
    elem->mutable_file()->set_local_path(std::filesystem::absolute(args.file).lexically_normal().string());
    if (!args.snapshot.empty()) {
      elem->mutable_file()->mutable_snapshot()->set_local_path(
          std::filesystem::absolute(args.snapshot).lexically_normal().string());
    }
  } else if (!args.location.empty()) {
    if (!args.text.empty()) {
      auto* text = request.add_elems();
      text->set_type(tim::v1::ELEM_TEXT);
      text->mutable_text()->set_content(args.text);
    }
    *request.add_elems() = *LocationElemOf(args.location);  // checked while parsing the command line
  } else if (args.message_json.empty()) {
    auto* elem = request.add_elems();
    elem->set_type(tim::v1::ELEM_TEXT);
    elem->mutable_text()->set_content(args.text);
  } else {
    std::string why;  // checked while parsing the command line
    timclient::ParseMessage(args.message_json.c_str(), &request, &why);
  }
  return request;
}

}  // namespace timctl
