// Files: `send PEER --file PATH` (SendMessage with one file element, with
// upload progress) and `download URL PATH` (DownloadElemToPath, with
// download progress).
#pragma once

#include <CLI/CLI.hpp>

#include <vector>

#include "commands.h"
#include "timd_client.h"

namespace timctl {

// Sends `request` (one file-like element) and shows its MSG_UPLOAD_PROGRESS
// events until the server acknowledged it; returns the exit code.
int RunSendFile(TimdClient& client, tim::v1::SendMessageRequest request);

}  // namespace timctl
