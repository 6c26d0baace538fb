#include "send_flags.h"

namespace timctl {

void AddSendFlags(CLI::App& command, SendFlags& flags, bool online_only) {
  command.add_flag("--exclude-from-unread", flags.exclude_from_unread,
                   "the peer's unread counts skip this message (message_is_excluded_from_unread_count)");
  if (online_only) {
    command.add_flag("--online-only", flags.online_only,
                     "delivered only if the peer is online now, never stored by the server, never queued "
                     "(message_is_online_msg)");
  }
  command.add_flag("--need-read-receipt", flags.need_read_receipt,
                   "ask the peer for a read receipt of this message (message_need_read_receipt)");
  command.add_option("--priority", flags.priority,
                     "TIMMsgPriority 0 (high) to 3 (lowest); accepted, not carried by XMPP (default 1)");
}

}  // namespace timctl
