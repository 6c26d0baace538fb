#include "domain/peer_caps.h"

#include <spdlog/spdlog.h>

#include "common/clock.h"
#include "xmpp/jid.h"

namespace timd::domain {

bool PeerCaps::Known(const std::string& ver) {
  try {
    return store_.Has(ver);
  } catch (const store::StoreError& e) {
    spdlog::error("cannot read peer capabilities: {}", e.what());
    return false;
  }
}

void PeerCaps::Verified(const std::string& ver, const std::string& node, const xmpp::DiscoInfo& info) {
  store::CapsRecord record{ver, node, {}, info.features, NowMs()};
  for (const auto& id : info.identities) {
    record.identities.push_back(id.category + "/" + id.type + "/" + id.lang + "/" + id.name);
  }
  try {
    store_.Save(record);
    bus_.RequestFlush();
    spdlog::info("verified the capabilities {} of {} ({} features)", ver, node, info.features.size());
  } catch (const store::StoreError& e) {
    spdlog::error("cannot store peer capabilities: {}", e.what());
  }
}

void PeerCaps::OnPeerCaps(const std::string& full_jid, const std::string& ver) {
  const auto jid = xmpp::Jid::Parse(full_jid);
  if (!jid) return;
  if (ver.empty()) {
    peers_.erase(jid->Full());
  } else {
    peers_[jid->Full()] = ver;
  }
}

bool PeerCaps::Supports(const std::string& jid, const std::string& feature) {
  const auto parsed = xmpp::Jid::Parse(jid);
  if (!parsed) return false;
  if (!parsed->resource.empty()) {
    auto it = peers_.find(parsed->Full());
    return it != peers_.end() && VerSupports(it->second, feature);
  }
  const std::string prefix = parsed->Bare() + "/";
  for (auto it = peers_.lower_bound(prefix); it != peers_.end() && it->first.starts_with(prefix); ++it) {
    if (VerSupports(it->second, feature)) return true;
  }
  return false;
}

bool PeerCaps::VerSupports(const std::string& ver, const std::string& feature) {
  try {
    return store_.HasFeature(ver, feature);
  } catch (const store::StoreError& e) {
    spdlog::error("cannot read peer capabilities: {}", e.what());
    return false;
  }
}

}  // namespace timd::domain
