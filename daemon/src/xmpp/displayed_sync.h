// XEP-0490 Message Displayed Synchronization (urn:xmpp:mds:displayed:0):
// the read position of each one-to-one chat kept in a private PEP node of
// our own account, one item per chat (item id = the peer's bare JID)
// holding the XEP-0359 stanza-id our server gave the newest displayed
// message. Our other devices learn what we read from it, and we learn what
// they read: live through PEP notifications (the "+notify" feature in our
// disco#info and caps), and at login by fetching the node's items.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "xmpp/client.h"
#include "xmpp/element.h"

namespace timd::xmpp {

inline constexpr std::string_view kDisplayedSyncNs = "urn:xmpp:mds:displayed:0";

// One chat's read position: the newest message displayed in it.
struct DisplayedPosition {
  std::string chat_jid;   // the item id: the peer's bare JID
  std::string stanza_id;  // its <stanza-id by='own bare JID'/>
};

// The positions of a PEP notification from our own account for the MDS
// node; nothing when `message` is not one (another node, another sender: a
// spoof). Items without a usable stanza-id by our own JID are dropped.
std::optional<std::vector<DisplayedPosition>> ParseDisplayedNotification(const Element& message,
                                                                         const std::string& own_bare_jid);
// The positions in an <items/> result of the node (the iq's <pubsub/>).
std::vector<DisplayedPosition> ParseDisplayedItems(const Element& items_parent, const std::string& own_bare_jid);
// <iq type='set'><pubsub><publish node=MDS><item id=chat_jid><displayed>
// <stanza-id/>…</publish><publish-options/> with the node configuration
// XEP-0490 asks for (persistent, one item per chat, whitelist: private).
Element BuildDisplayedPublish(const DisplayedPosition& position, const std::string& own_bare_jid);

class DisplayedSync : public StanzaHandler {
 public:
  using Listener = std::function<void(const std::vector<DisplayedPosition>& positions)>;
  // `listener` hears every position learnt, from notifications and fetches.
  DisplayedSync(Client& client, Listener listener);
  ~DisplayedSync() override;

  // Publishes a chat's read position; a refusal is logged (the local read
  // state stands either way, and the next publish carries it again).
  void Publish(const DisplayedPosition& position);
  // Fetches every chat's position (after login: what other devices read
  // while we were away); an empty or missing node reports nothing.
  void FetchAll();

  bool HandleStanza(const Element& stanza) override;
  std::vector<std::string> DiscoFeatures() const override { return {std::string(kDisplayedSyncNs) + "+notify"}; }

 private:
  Client& client_;
  Listener listener_;
  std::shared_ptr<bool> alive_;
};

}  // namespace timd::xmpp
