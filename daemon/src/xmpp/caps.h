// XEP-0115 entity capabilities. Our side: the <c/> that every presence timd
// sends carries, hashed from the FeatureRegistry. Peers' side: a presence
// with <c/> names a ver; an unknown one is looked up with disco#info at the
// sender, verified against the hash, and only then handed to the CapsCache.
// Malformed, oversize or mismatching caps are ignored and logged (rate
// limited).
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/log_throttle.h"
#include "xmpp/client.h"
#include "xmpp/disco_info.h"
#include "xmpp/feature_registry.h"

namespace timd::xmpp {

inline constexpr std::string_view kCapsNs = "http://jabber.org/protocol/caps";

// <c xmlns='http://jabber.org/protocol/caps' hash='sha-1' node=… ver=…/>.
Element CapsElement(const FeatureRegistry& features, const std::string& node);

struct PresenceCaps {
  std::string hash;
  std::string node;
  std::string ver;
};

enum class CapsCheck {
  kNone,         // no <c/>
  kUnsupported,  // legacy caps (no hash) or a hash other than sha-1
  kMalformed,    // missing or oversize attributes, a ver that is no SHA-1 in base64
  kOk,
};
// Reads the <c/> of a presence; `why` says what is wrong when malformed.
CapsCheck ReadPresenceCaps(const Element& presence, PresenceCaps* caps, std::string* why);

// Where verified capabilities go; the domain keeps them (in the store).
class CapsCache {
 public:
  virtual ~CapsCache() = default;
  // Whether `ver` was verified before (its info is stored).
  virtual bool Known(const std::string& ver) = 0;
  // `info` hashes to `ver`: keep it.
  virtual void Verified(const std::string& ver, const std::string& node, const DiscoInfo& info) = 0;
  // The peer `full_jid` now runs software with this verified `ver`; empty:
  // it went offline or announced no usable caps.
  virtual void OnPeerCaps(const std::string& full_jid, const std::string& ver) = 0;
};

class CapsManager : public StanzaHandler {
 public:
  CapsManager(Client& client, CapsCache& cache);
  ~CapsManager() override;
  CapsManager(const CapsManager&) = delete;
  CapsManager& operator=(const CapsManager&) = delete;

  bool HandleStanza(const Element& stanza) override;
  std::vector<std::string> DiscoFeatures() const override;

 private:
  void Learn(const std::string& from, const PresenceCaps& caps);
  void OnInfo(const std::string& ver, const std::string& node, const std::string& from,
              const std::optional<DiscoInfo>& info, const std::string& error);
  void Ignore(const std::string& what);

  Client& client_;
  CapsCache& cache_;
  struct Lookup {
    std::chrono::steady_clock::time_point started;
    std::vector<std::string> peers;  // announcing the ver meanwhile
  };
  // Frees the slots of lookups a peer never answered.
  void DropStaleLookups();

  std::map<std::string, Lookup> pending_;  // by ver
  std::set<std::string> refused_;  // vers whose answer did not verify
  LogThrottle ignored_log_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace timd::xmpp
