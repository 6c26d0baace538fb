#include "domain/incoming_record.h"

#include <spdlog/spdlog.h>

#include "common/clock.h"
#include "domain/file_elems.h"
#include "domain/location_elems.h"
#include "domain/message_codec.h"
#include "domain/message_options.h"
#include "domain/message_payload.h"
#include "tim/v1/common.pb.h"
#include "xmpp/jid.h"

namespace timd::domain {

std::optional<store::MessageRecord> IncomingRecord(const xmpp::IncomingChat& chat, const std::string& own_jid) {
  auto from = xmpp::Jid::Parse(chat.from);
  if (!from || from->local.empty()) {
    spdlog::warn("dropping chat message with unusable sender address");
    return std::nullopt;
  }
  store::MessageRecord r;
  r.sender = from->Bare();
  r.is_from_self = r.sender == own_jid;
  r.conv_id = r.sender;  // a message to oneself lands in the own conversation
  if (r.is_from_self) {
    // Sent by us (another device, or an archive copy): the peer is `to`.
    auto to = xmpp::Jid::Parse(chat.to);
    if (to && !to->local.empty()) r.conv_id = to->Bare();
  }
  r.conv_type = tim::v1::CONV_C2C;
  r.origin_id = chat.origin_id;
  r.raw_id = chat.id;
  r.sid_own = chat.stanza_id;
  r.markable = chat.markable;
  r.msg_id = store::NaturalMsgId(r);
  if (r.msg_id.empty()) r.msg_id = NewUuid();
  r.body = chat.body;
  if (chat.payload.empty() && !chat.files.empty()) r.elems = EncodeContent(ContentOfSharedFiles(chat.body, chat.files));
  if (chat.payload.empty() && chat.files.empty() && chat.location) {
    const tim::v1::Message content = ContentOfGeoLocation(chat.body, *chat.location);
    r.elems = EncodeContent(content);
    r.body = FallbackBody(content.elems());  // a geoloc may come without a body
  }
  if (!chat.payload.empty()) {
    auto content = DecodePayload(chat.payload);
    if (content.ok()) {
      r.elems = EncodeContent(content.value());
      r.no_unread = content.value().is_excluded_from_unread_count();
    } else {
      // Still a message: other clients' view of it, its body.
      spdlog::warn("message {} from {}: {}; keeping its body", chat.id, r.sender, content.status().message());
    }
  }
  if (chat.no_store) MarkOnlineOnly(r);
  r.server_time_ms = chat.delay_ms > 0 ? chat.delay_ms : NowMs();
  r.client_time_ms = r.server_time_ms;  // XMPP does not carry the sender's clock
  r.status = tim::v1::MSG_SEND_SUCC;
  return r;
}

}  // namespace timd::domain
