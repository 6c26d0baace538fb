// XEP-0308 Last Message Correction (urn:xmpp:message-correct:0) in
// one-to-one chats: builds a correction (the whole new message plus
// <replace id='FIRST'/>, where FIRST is the id of the first version, never
// of an earlier correction) and reports the corrections that arrive live,
// as carbons or from the archive. Messages reach it through
// MessagePayloadHandlers (see message_payload.h); a correction is always
// claimed, so its new body never becomes a separate chat message.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "xmpp/chat.h"
#include "xmpp/client.h"
#include "xmpp/element.h"
#include "xmpp/message_payload.h"

namespace timd::xmpp {

inline constexpr std::string_view kCorrectNs = "urn:xmpp:message-correct:0";

struct Correction {
  // origin.from: who corrects; the owner checks that it sent the original.
  // origin.id: the correction's own id (not the corrected message's).
  MessageOrigin origin;
  std::string replaced_id;  // the id of the first version
  std::string origin_id;    // the correction's XEP-0359 origin-id; may be empty
  std::string body;         // the new text
  std::string payload;      // timd's own payload (kTimdPayloadNs), as sent; may be empty
};

// Nothing when `message` carries no <replace/>; nothing (logged) when the
// correction is malformed: no or an oversize id, no <body>, or an invalid sender.
std::optional<Correction> ParseCorrection(const Element& message, const MessageContext& context);
// The chat message `corrected` (see BuildChatMessage; its id is the
// correction's own) with `extra` payload elements and <replace id='replaced_id'/>.
Element BuildCorrection(const OutgoingChat& corrected, const std::string& replaced_id,
                        const std::vector<Element>& extra = {});

class MessageCorrection : public StanzaHandler, public MessagePayloadHandler {
 public:
  using Listener = std::function<void(const Correction& correction)>;
  MessageCorrection(Client& client, Listener listener);

  // Sends `corrected` as a correction of the message `replaced_id` (its
  // first version); a fresh id is used when corrected.id is empty.
  SentMessage Send(OutgoingChat corrected, const std::string& replaced_id, const std::vector<Element>& extra = {});

  // Registered for its disco feature only: messages come through
  // HandleMessagePayload, from every source.
  bool HandleStanza(const Element&) override { return false; }
  std::vector<std::string> DiscoFeatures() const override { return {std::string(kCorrectNs)}; }
  bool HandleMessagePayload(const Element& message, const MessageContext& context) override;
  bool Claims(const Element& message) const override;

 private:
  Client& client_;
  Listener listener_;
};

}  // namespace timd::xmpp
