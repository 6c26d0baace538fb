// A message's content on the command line, for send and modify: a text
// (one text element), --message-json (TIM's Message JSON) or, for send,
// --file (one file, image, sound or video element) or --location, one of
// them (--location may come with a text).
#pragma once

#include <CLI/CLI.hpp>

#include <string>

#include "tim/v1/messages.pb.h"

namespace timctl {

struct ContentArgs {
  std::string text;
  std::string message_json;
  std::string file;               // local path (made absolute: timd's working directory is not ours)
  std::string file_type = "file"; // file, image, sound or video
  std::string snapshot;           // a video's snapshot image (made absolute like `file`)
  std::string location;           // LAT,LON[,DESC]: a location element (after the text, if any)
};

// Adds --message-json to `command`, checked as TIM Message JSON, exclusive
// with `text` (the command's text option); one of the two (or, with
// AddFileOption, --file) is required.
void AddMessageJsonOption(CLI::App& command, CLI::Option* text, ContentArgs& args);
// Adds --file, --file-type and --snapshot, exclusive with `text` and --message-json.
// After AddMessageJsonOption.
void AddFileOption(CLI::App& command, CLI::Option* text, ContentArgs& args);
// Adds --location LAT,LON[,DESC], exclusive with --message-json and
// --file; with a text, the message holds both. After AddFileOption.
void AddLocationOption(CLI::App& command, ContentArgs& args);
// The content as a SendMessageRequest's elems, cloud_custom_str and
// need_read_receipt (conversation and id left empty).
tim::v1::SendMessageRequest ContentOf(const ContentArgs& args);

}  // namespace timctl
