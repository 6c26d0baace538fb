#include "output.h"

#include <google/protobuf/util/json_util.h>

#include <cstdio>

namespace timctl {

std::string ToJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = true;
  std::string out;
  (void)google::protobuf::util::MessageToJsonString(message, &out, options);
  return out;
}

bool PrintLine(const std::string& line) {
  if (std::fwrite(line.data(), 1, line.size(), stdout) != line.size()) return false;
  return std::fputc('\n', stdout) != EOF && std::fflush(stdout) == 0;
}

}  // namespace timctl
