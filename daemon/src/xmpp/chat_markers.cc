#include "xmpp/chat_markers.h"

#include <spdlog/spdlog.h>

#include <utility>

#include "xmpp/message_id.h"
#include "xmpp/namespaces.h"

namespace timd::xmpp {
namespace {

std::optional<MarkerKind> KindOf(std::string_view name) {
  if (name == "received") return MarkerKind::kReceived;
  if (name == "displayed") return MarkerKind::kDisplayed;
  if (name == "acknowledged") return MarkerKind::kAcknowledged;
  return std::nullopt;  // e.g. <markable/>, which asks for markers
}

const Element* MarkerElement(const Element& message) {
  for (const Element& child : message.children) {
    if (child.xmlns == kChatMarkersNs && KindOf(child.name)) return &child;
  }
  return nullptr;
}

}  // namespace

const char* ToString(MarkerKind kind) {
  switch (kind) {
    case MarkerKind::kReceived: return "received";
    case MarkerKind::kDisplayed: return "displayed";
    case MarkerKind::kAcknowledged: return "acknowledged";
  }
  return "unknown";
}

std::optional<ChatMarker> ParseChatMarker(const Element& message, const MessageContext& context) {
  const Element* marker = MarkerElement(message);
  if (marker == nullptr) return std::nullopt;
  std::optional<MessageOrigin> origin = OriginOf(message, context);
  if (!origin || !IsUsableReferencedId(marker->Attr("id"))) {
    spdlog::warn("XMPP: ignoring a malformed chat marker ({}, {} byte id)", ToString(context.source),
                 marker->Attr("id").size());
    return std::nullopt;
  }
  return ChatMarker{std::move(*origin), *KindOf(marker->name), std::string(marker->Attr("id"))};
}

Element BuildChatMarker(const std::string& to, MarkerKind kind, const std::string& marked_id, const std::string& id) {
  Element stanza("message", std::string(ns::kClient));
  stanza.SetAttr("type", "chat");
  stanza.SetAttr("to", to);
  stanza.SetAttr("id", id);
  stanza.AddChild(Element(ToString(kind), std::string(kChatMarkersNs))).SetAttr("id", marked_id);
  stanza.AddChild(Element("store", std::string(ns::kHints)));
  return stanza;
}

ChatMarkers::ChatMarkers(Client& client, Listener listener) : client_(client), listener_(std::move(listener)) {}

SentMessage ChatMarkers::Send(const std::string& to, MarkerKind kind, const std::string& marked_id) {
  SentMessage sent{NewMessageId()};
  sent.seq = client_.Send(BuildChatMarker(to, kind, marked_id, sent.id));
  return sent;
}

bool ChatMarkers::HandleMessagePayload(const Element& message, const MessageContext& context) {
  if (MarkerElement(message) == nullptr) return false;
  std::optional<ChatMarker> marker = ParseChatMarker(message, context);
  if (marker && listener_) listener_(*marker);
  return message.Child("body", message.xmlns) == nullptr;
}

}  // namespace timd::xmpp
