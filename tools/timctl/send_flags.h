// The options of a message besides its content, for send, batch-send and
// save: --exclude-from-unread, --online-only, --need-read-receipt and
// --priority (TIM's message_is_excluded_from_unread_count,
// message_is_online_msg, message_need_read_receipt, message_priority).
#pragma once

#include <CLI/CLI.hpp>

#include <cstdint>
#include <optional>

namespace timctl {

struct SendFlags {
  bool exclude_from_unread = false;
  bool online_only = false;
  bool need_read_receipt = false;
  std::optional<uint32_t> priority;  // absent: --message-json's, else Normal (1)
};

// Adds the flags to `command`; --online-only only when `online_only` (a
// saved message is never sent).
void AddSendFlags(CLI::App& command, SendFlags& flags, bool online_only);

// Sets the options on `request` (SendMessageRequest, BatchSendRequest or
// ImportedMessage); a flag adds to what --message-json said.
template <typename Request>
void ApplySendFlags(const SendFlags& flags, Request& request) {
  request.set_is_excluded_from_unread_count(request.is_excluded_from_unread_count() || flags.exclude_from_unread);
  request.set_is_online_msg(request.is_online_msg() || flags.online_only);
  request.set_need_read_receipt(request.need_read_receipt() || flags.need_read_receipt);
  if (flags.priority) request.set_priority(*flags.priority);
}

}  // namespace timctl
