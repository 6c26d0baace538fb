// XEP-0333 Chat Markers (urn:xmpp:chat-markers:0) in one-to-one chats:
// sends <received/>, <displayed/> or <acknowledged/> for a message, and
// reports the markers that arrive live, as carbons (our other devices' own
// markers, so their read state can be learnt) or from the archive. Messages
// reach it through MessagePayloadHandlers (see message_payload.h); a
// marker-only message is claimed and never becomes a chat message.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "xmpp/client.h"
#include "xmpp/element.h"
#include "xmpp/message_payload.h"

namespace timd::xmpp {

inline constexpr std::string_view kChatMarkersNs = "urn:xmpp:chat-markers:0";

enum class MarkerKind { kReceived, kDisplayed, kAcknowledged };
const char* ToString(MarkerKind kind);

struct ChatMarker {
  MessageOrigin origin;   // origin.from_bare: who marked; origin.is_own: one of our devices did
  MarkerKind kind = MarkerKind::kDisplayed;
  std::string marked_id;  // the marked message's id attribute (in 1:1 chats)
};

// Nothing when `message` carries no marker; nothing (logged) when its
// marker is malformed: no or an oversize id, or an invalid sender.
std::optional<ChatMarker> ParseChatMarker(const Element& message, const MessageContext& context);
// <message type='chat' to id><KIND id='marked_id'/><store/></message>; the
// store hint keeps it in archives, where our other devices find it.
Element BuildChatMarker(const std::string& to, MarkerKind kind, const std::string& marked_id, const std::string& id);

class ChatMarkers : public StanzaHandler, public MessagePayloadHandler {
 public:
  using Listener = std::function<void(const ChatMarker& marker)>;
  ChatMarkers(Client& client, Listener listener);

  // Marks the message `marked_id` that `to` (a bare JID) sent us.
  SentMessage Send(const std::string& to, MarkerKind kind, const std::string& marked_id);

  // Registered for its disco feature only: messages come through
  // HandleMessagePayload, from every source.
  bool HandleStanza(const Element&) override { return false; }
  std::vector<std::string> DiscoFeatures() const override { return {std::string(kChatMarkersNs)}; }
  // Reports a marker; claims the message unless it also has a body.
  bool HandleMessagePayload(const Element& message, const MessageContext& context) override;

 private:
  Client& client_;
  Listener listener_;
};

}  // namespace timd::xmpp
