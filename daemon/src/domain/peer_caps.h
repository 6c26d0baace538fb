// What the peers' software supports (XEP-0115): verified feature sets are
// kept in the store by ver, and which ver each online peer resource runs is
// kept in memory (it comes with presence, again after every new session).
// Later features ask Supports() before using an extension, e.g. markers.
#pragma once

#include <map>
#include <string>

#include "events/event_bus.h"
#include "store/caps_store.h"
#include "xmpp/caps.h"

namespace timd::domain {

class PeerCaps : public xmpp::CapsCache {
 public:
  PeerCaps(store::CapsStore& store, events::EventBus& bus) : store_(store), bus_(bus) {}

  // Whether `jid` supports `feature` (a disco#info var): a full JID asks
  // about that resource, a bare JID about any of its online resources.
  // False when nothing verified is known.
  bool Supports(const std::string& jid, const std::string& feature);

  // A fresh session: peers announce their presence again.
  void ForgetPeers() { peers_.clear(); }

  // xmpp::CapsCache
  bool Known(const std::string& ver) override;
  void Verified(const std::string& ver, const std::string& node, const xmpp::DiscoInfo& info) override;
  void OnPeerCaps(const std::string& full_jid, const std::string& ver) override;

 private:
  bool VerSupports(const std::string& ver, const std::string& feature);

  store::CapsStore& store_;
  events::EventBus& bus_;
  std::map<std::string, std::string> peers_;  // full JID -> verified ver
};

}  // namespace timd::domain
