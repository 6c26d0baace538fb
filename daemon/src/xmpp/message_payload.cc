#include "xmpp/message_payload.h"

#include <optional>

#include "xmpp/chat.h"
#include "xmpp/jid.h"
#include "xmpp/namespaces.h"

namespace timd::xmpp {
namespace {


bool IsOneToOne(const Element& message) {
  std::string_view type = message.Attr("type");
  return message.name == "message" && (type.empty() || type == "chat" || type == "normal");
}

}  // namespace

const char* ToString(MessageSource source) {
  switch (source) {
    case MessageSource::kLive: return "live";
    case MessageSource::kCarbonReceived: return "carbon-received";
    case MessageSource::kCarbonSent: return "carbon-sent";
    case MessageSource::kArchive: return "archive";
  }
  return "unknown";
}

std::string MessageContext::SenderOf(const Element& message) const {
  return message.HasAttr("from") ? std::string(message.Attr("from")) : own_bare_jid;
}

std::optional<MessageOrigin> OriginOf(const Element& message, const MessageContext& context) {
  MessageOrigin origin;
  origin.from = context.SenderOf(message);
  std::optional<Jid> from = Jid::Parse(origin.from);
  if (!from) return std::nullopt;
  origin.from_bare = from->Bare();
  origin.to = message.Attr("to");
  origin.id = message.Attr("id");
  origin.stanza_id = context.stanza_id;
  origin.delay_ms = context.delay_ms;
  origin.source = context.source;
  origin.is_own = context.source == MessageSource::kCarbonSent || origin.from_bare == context.own_bare_jid;
  return origin;
}

bool IsUsableReferencedId(std::string_view id) { return !id.empty() && id.size() <= kMaxReferencedIdBytes; }

MessageContext ContextOf(const Element& message, MessageSource source, const std::string& own_bare_jid) {
  MessageContext context;
  context.source = source;
  context.own_bare_jid = own_bare_jid;
  context.stanza_id = OwnStanzaId(message, own_bare_jid);
  context.delay_ms = EarliestDelayMs(message);
  return context;
}

std::string OwnStanzaId(const Element& message, const std::string& own_bare_jid) {
  std::optional<Jid> own = Jid::Parse(own_bare_jid);
  for (const Element& child : message.children) {
    if (child.xmlns != ns::kSid || child.name != "stanza-id") continue;
    // Anyone can put a stanza-id in a message; only our server's counts.
    std::optional<Jid> by = Jid::Parse(child.Attr("by"));
    if (own && by && by->Bare() == own->Bare()) return std::string(child.Attr("id"));
  }
  return "";
}

int64_t EarliestDelayMs(const Element& message) {
  // Unacknowledged stanzas of a dropped session come back with two delays.
  int64_t earliest = 0;
  for (const Element& child : message.children) {
    if (child.xmlns != ns::kDelay || child.name != "delay") continue;
    std::optional<int64_t> ms = ParseXmppTimestamp(child.Attr("stamp"));
    if (ms && (earliest == 0 || *ms < earliest)) earliest = *ms;
  }
  return earliest;
}

const Element* ForwardedMessage(const Element& parent) {
  const Element* forwarded = parent.Child("forwarded", ns::kForward);
  return forwarded != nullptr ? forwarded->Child("message", ns::kClient) : nullptr;
}

bool MessagePayloadHandlers::Offer(const Element& message, const MessageContext& context) const {
  if (!IsOneToOne(message)) return false;
  for (MessagePayloadHandler* handler : handlers_) {
    if (handler->HandleMessagePayload(message, context)) return true;
  }
  return false;
}

bool MessagePayloadHandlers::Claims(const Element& message) const {
  if (!IsOneToOne(message)) return false;
  for (const MessagePayloadHandler* handler : handlers_) {
    if (handler->Claims(message)) return true;
  }
  return false;
}

}  // namespace timd::xmpp
