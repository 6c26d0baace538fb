// Protobuf logs each proto3 string field with invalid UTF-8 that it refuses
// to parse: fuzz inputs do that thousands of times a second.
#pragma once

#include <google/protobuf/stubs/logging.h>

#include <string>

namespace timd::fuzz {

inline bool SilenceProtobufLog() {
  google::protobuf::SetLogHandler([](google::protobuf::LogLevel, const char*, int, const std::string&) {});
  return true;
}

}  // namespace timd::fuzz
