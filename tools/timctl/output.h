// Output helpers: proto messages as one-line JSON, and flushed lines.
#pragma once

#include <google/protobuf/message.h>

#include <string>

namespace timctl {

// Proto3 JSON with the .proto field names and every scalar field present
// (64-bit integers are strings, as proto3 JSON defines).
std::string ToJson(const google::protobuf::Message& message);

// Writes `line` and a newline to stdout and flushes; false when stdout is closed.
bool PrintLine(const std::string& line);

}  // namespace timctl
