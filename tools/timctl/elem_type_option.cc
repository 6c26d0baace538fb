#include "elem_type_option.h"

#include <cctype>

#include "tim/v1/common.pb.h"

namespace timctl {
namespace {

// Element types a stored message can have, by their TIMElemType names.
const std::vector<std::string> kNames = {"text", "image", "sound",    "custom", "file",
                                         "face", "location", "video", "merge"};

}  // namespace

void AddElemTypeOption(CLI::App& command, std::vector<std::string>* names) {
  command.add_option("--type", *names, "only messages with an element of this type (repeatable)")
      ->check(CLI::IsMember(kNames));
}

void AddElemTypes(const std::vector<std::string>& names, google::protobuf::RepeatedField<int>* out) {
  for (const std::string& name : names) {
    std::string upper = "ELEM_";
    for (char c : name) upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    tim::v1::ElemType type = tim::v1::ELEM_INVALID;
    if (tim::v1::ElemType_Parse(upper, &type)) out->Add(type);
  }
}

}  // namespace timctl
