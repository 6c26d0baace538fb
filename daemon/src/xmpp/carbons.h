// XEP-0280 Message Carbons (urn:xmpp:carbons:2): copies of the account's
// one-to-one messages handled by its other resources. Enable() once per
// fresh session (after bind; a resumed session keeps it), then carbons are
// unwrapped into IncomingChat for the listener. The forwarded message is
// first offered to the payload modules (see message_payload.h), so a marker,
// retraction or correction made on another of our devices reaches them.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "xmpp/chat.h"
#include "xmpp/client.h"
#include "xmpp/message_payload.h"

namespace timd::xmpp {

enum class CarbonDirection {
  kReceived,  // a peer's message to another of our resources: from = peer, to = that resource
  kSent,      // our other resource sent it: from = our JID, to = the peer
};

// A message stanza read as a carbon. `is_carbon`: it wraps one. `from_own`:
// it comes from our own account (our bare JID, or no from), as only real
// carbons do (anyone can wrap a forged message). `chat`: the forwarded chat
// message, when there is one (markers, receipts and chat states are not).
// `message`: the forwarded stanza of an own carbon (points into the stanza
// given to UnwrapCarbon), or null.
struct Carbon {
  bool is_carbon = false;
  bool from_own = false;
  CarbonDirection direction = CarbonDirection::kReceived;
  std::optional<IncomingChat> chat;
  const Element* message = nullptr;
};
Carbon UnwrapCarbon(const Element& stanza, const std::string& own_bare_jid);

class CarbonsManager : public StanzaHandler {
 public:
  using Listener = std::function<void(const IncomingChat& message, CarbonDirection direction)>;
  CarbonsManager(Client& client, Listener listener);
  ~CarbonsManager() override;
  CarbonsManager(const CarbonsManager&) = delete;
  CarbonsManager& operator=(const CarbonsManager&) = delete;

  // Sends <enable/>; `done` (optional) learns whether the server accepted.
  void Enable(std::function<void(bool enabled)> done = {});

  // Offers each forwarded message to `payloads` (not owned, may be null)
  // before reading it as a chat message.
  void SetPayloadHandlers(const MessagePayloadHandlers* payloads) { payloads_ = payloads; }

  bool HandleStanza(const Element& stanza) override;

 private:
  Client& client_;
  Listener listener_;
  const MessagePayloadHandlers* payloads_ = nullptr;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace timd::xmpp
