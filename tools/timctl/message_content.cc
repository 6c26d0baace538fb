#include "message_content.h"

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
  command.callback([text, json] {
    if (text->count() + json->count() == 0) throw CLI::RequiredError(text->get_name() + " or --message-json");
  });
}

tim::v1::SendMessageRequest ContentOf(const ContentArgs& args) {
  tim::v1::SendMessageRequest request;
  if (args.message_json.empty()) {
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
