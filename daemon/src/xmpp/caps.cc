#include "xmpp/caps.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "xmpp/caps_hash.h"
#include "xmpp/disco.h"
#include "xmpp/jid.h"

namespace timd::xmpp {
namespace {

constexpr size_t kMaxAttrBytes = 1024;
// Bounds what a flood of presences with made-up vers can cost: lookups in
// flight, and vers remembered as refused.
constexpr size_t kMaxPendingLookups = 16;
constexpr size_t kMaxRefused = 256;
constexpr auto kLookupTimeout = std::chrono::seconds(30);

// A SHA-1 digest (20 bytes) in base64: 27 characters and one '='.
bool IsSha1Base64(std::string_view ver) {
  if (ver.size() != 28 || ver.back() != '=') return false;
  return std::all_of(ver.begin(), ver.end() - 1, [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
  });
}

}  // namespace

Element CapsElement(const FeatureRegistry& features, const std::string& node) {
  Element c("c", std::string(kCapsNs));
  c.SetAttr("hash", "sha-1").SetAttr("node", node).SetAttr("ver", features.caps_ver());
  return c;
}

CapsCheck ReadPresenceCaps(const Element& presence, PresenceCaps* caps, std::string* why) {
  const Element* c = presence.Child("c", kCapsNs);
  if (c == nullptr) return CapsCheck::kNone;
  for (const auto& [key, value] : c->attrs) {
    if (value.size() > kMaxAttrBytes) {
      *why = "attribute '" + key + "' is over " + std::to_string(kMaxAttrBytes) + " bytes";
      return CapsCheck::kMalformed;
    }
  }
  caps->hash = c->Attr("hash");
  caps->node = c->Attr("node");
  caps->ver = c->Attr("ver");
  if (caps->hash != "sha-1") return CapsCheck::kUnsupported;
  if (caps->node.empty()) {
    *why = "no node";
    return CapsCheck::kMalformed;
  }
  if (!IsSha1Base64(caps->ver)) {
    *why = "ver is not a SHA-1 hash in base64";
    return CapsCheck::kMalformed;
  }
  return CapsCheck::kOk;
}

CapsManager::CapsManager(Client& client, CapsCache& cache) : client_(client), cache_(cache) {}

CapsManager::~CapsManager() { *alive_ = false; }

std::vector<std::string> CapsManager::DiscoFeatures() const { return {std::string(kCapsNs)}; }

bool CapsManager::HandleStanza(const Element& stanza) {
  if (stanza.name != "presence") return false;
  const std::string from(stanza.Attr("from"));
  if (from.empty() || from == client_.bound_jid().Full()) return false;
  const std::string_view type = stanza.Attr("type");
  if (type == "unavailable") {
    cache_.OnPeerCaps(from, "");
    return false;
  }
  if (!type.empty()) return false;  // subscription management or an error
  PresenceCaps caps;
  std::string why;
  switch (ReadPresenceCaps(stanza, &caps, &why)) {
    case CapsCheck::kOk:
      Learn(from, caps);
      break;
    case CapsCheck::kMalformed:
      Ignore("malformed caps from " + from + ": " + why);
      cache_.OnPeerCaps(from, "");
      break;
    case CapsCheck::kNone:
    case CapsCheck::kUnsupported:
      cache_.OnPeerCaps(from, "");
      break;
  }
  return false;  // other modules may want the presence too
}

void CapsManager::Learn(const std::string& from, const PresenceCaps& caps) {
  if (cache_.Known(caps.ver)) return cache_.OnPeerCaps(from, caps.ver);
  cache_.OnPeerCaps(from, "");
  if (refused_.count(caps.ver) != 0) return;
  if (auto it = pending_.find(caps.ver); it != pending_.end()) {
    it->second.peers.push_back(from);
    return;
  }
  DropStaleLookups();
  if (pending_.size() >= kMaxPendingLookups) return Ignore("caps of " + from + ": too many lookups in flight");
  pending_[caps.ver] = Lookup{std::chrono::steady_clock::now(), {from}};
  QueryDiscoInfo(client_, from, caps.node + "#" + caps.ver, alive_,
                 [this, ver = caps.ver, node = caps.node, from](const DiscoReply& reply) {
                   OnInfo(ver, node, from, reply.info, reply.error);
                 });
}

void CapsManager::OnInfo(const std::string& ver, const std::string& node, const std::string& from,
                         const std::optional<DiscoInfo>& info, const std::string& error) {
  auto waiting = pending_.extract(ver);
  if (!info) {
    if (error != "disconnected") Ignore("caps " + ver + " of " + from + ": no usable disco#info (" + error + ")");
    return;
  }
  if (CapsSha1Ver(*info) != ver) {
    if (refused_.size() >= kMaxRefused) refused_.clear();
    refused_.insert(ver);
    return Ignore("caps " + ver + " of " + from + ": the disco#info answer does not hash to it");
  }
  cache_.Verified(ver, node, *info);
  if (waiting.empty()) return;
  for (const std::string& peer : waiting.mapped().peers) cache_.OnPeerCaps(peer, ver);
}

void CapsManager::DropStaleLookups() {
  const auto now = std::chrono::steady_clock::now();
  std::erase_if(pending_, [now](const auto& entry) { return now - entry.second.started > kLookupTimeout; });
}

void CapsManager::Ignore(const std::string& what) {
  if (auto note = ignored_log_.Admit()) spdlog::warn("XMPP: ignored {}{}", what, *note);
}

}  // namespace timd::xmpp
