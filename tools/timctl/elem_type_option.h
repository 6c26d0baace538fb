// --type NAME (repeatable): message element types for the type filters of
// `history` and `search` (message_types in history.proto, messages.proto).
#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

#include <google/protobuf/repeated_field.h>

namespace timctl {

// Adds `--type` to `command`; the names chosen land in *names.
void AddElemTypeOption(CLI::App& command, std::vector<std::string>* names);
// The ElemType values of `names` (checked by the option) into *out.
void AddElemTypes(const std::vector<std::string>& names, google::protobuf::RepeatedField<int>* out);

}  // namespace timctl
