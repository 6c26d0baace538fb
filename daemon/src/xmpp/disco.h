// XEP-0030 service discovery: answers disco#info about timd's own JID from
// the FeatureRegistry (the same answer to anyone: nothing depends on who
// asks), answers disco#items with no items, and asks other entities.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "xmpp/client.h"
#include "xmpp/disco_info.h"
#include "xmpp/feature_registry.h"

namespace timd::xmpp {

// The reply to a disco#info or disco#items get addressed to us, from
// `features`; nothing when `iq` is not such a query. `caps_node`: see
// DiscoResponder.
std::optional<Element> DiscoAnswer(const Element& iq, const FeatureRegistry& features, const std::string& caps_node);

class DiscoResponder : public StanzaHandler {
 public:
  // `caps_node`: the XEP-0115 node; a query for "caps_node#ver" of the
  // current ver is answered like one without a node.
  DiscoResponder(Client& client, const FeatureRegistry& features, std::string caps_node);

  bool HandleStanza(const Element& stanza) override;
  std::vector<std::string> DiscoFeatures() const override;

 private:
  Client& client_;
  const FeatureRegistry& features_;
  std::string caps_node_;
};

// The outcome of asking an entity: its info, or why there is none
// ("disconnected", an error condition such as "item-not-found", or why the
// answer was refused).
struct DiscoReply {
  std::optional<DiscoInfo> info;
  std::string error;
};

// Sends disco#info to `to` (with `node` when not empty); `done` runs with
// the answer unless `alive` has expired by then.
void QueryDiscoInfo(Client& client, const std::string& to, const std::string& node,
                    std::weak_ptr<bool> alive, std::function<void(const DiscoReply& reply)> done);

}  // namespace timd::xmpp
