// XEP-0184 Message Delivery Receipts (urn:xmpp:receipts) in one-to-one
// chats: reports the <received/> receipts that arrive, and, when the owner
// switches it on, answers a live message's <request/> with a receipt.
// Messages reach it through MessagePayloadHandlers (see message_payload.h);
// a receipt-only message is claimed and never becomes a chat message, a
// message with a request goes on to the chat parse after the answer.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "xmpp/client.h"
#include "xmpp/element.h"
#include "xmpp/message_payload.h"

namespace timd::xmpp {

inline constexpr std::string_view kReceiptsNs = "urn:xmpp:receipts";

struct DeliveryReceipt {
  MessageOrigin origin;      // origin.from: the resource that got the message
  std::string delivered_id;  // the delivered message's id attribute
};

// Nothing when `message` carries no <received/>; nothing (logged) when the
// receipt is malformed: no or an oversize id, or an invalid sender.
std::optional<DeliveryReceipt> ParseDeliveryReceipt(const Element& message, const MessageContext& context);
// The receipt answering `message` (with `id` as its own id attribute), or
// nothing when XEP-0184 (section 5) says not to answer: no <request/>, type
// error or groupchat, no usable id, or itself a receipt.
std::optional<Element> BuildReceiptAnswer(const Element& message, const std::string& id);

class DeliveryReceipts : public StanzaHandler, public MessagePayloadHandler {
 public:
  using Listener = std::function<void(const DeliveryReceipt& receipt)>;
  // `answer_requests`: the owner's choice to send receipts. It also decides
  // whether the feature is advertised, so peers only ask when we answer.
  DeliveryReceipts(Client& client, Listener listener, bool answer_requests);

  // Registered for its disco feature only: messages come through
  // HandleMessagePayload, from every source.
  bool HandleStanza(const Element&) override { return false; }
  std::vector<std::string> DiscoFeatures() const override;
  // Answers requests on live messages (a carbon or an archived copy was
  // delivered elsewhere, and answered there); reports receipts.
  bool HandleMessagePayload(const Element& message, const MessageContext& context) override;

 private:
  Client& client_;
  Listener listener_;
  bool answer_requests_;
};

}  // namespace timd::xmpp
