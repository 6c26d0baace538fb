#include "message_content.h"

#include <filesystem>

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
    if (text->count() + json->count() == 0 && args.file.empty()) {
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
  file->excludes(text);
  file->excludes(command.get_option("--message-json"));
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
