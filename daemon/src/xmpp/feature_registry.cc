#include "xmpp/feature_registry.h"

#include <algorithm>

#include "xmpp/caps_hash.h"

namespace timd::xmpp {

FeatureRegistry::FeatureRegistry(DiscoIdentity identity) {
  info_.identities.push_back(std::move(identity));
  caps_ver_ = CapsSha1Ver(info_).value_or("");
}

void FeatureRegistry::Register(Client& client, StanzaHandler& module) {
  client.AddHandler(&module);
  auto& features = info_.features;
  for (std::string& feature : module.DiscoFeatures()) features.push_back(std::move(feature));
  std::sort(features.begin(), features.end());
  features.erase(std::unique(features.begin(), features.end()), features.end());
  caps_ver_ = CapsSha1Ver(info_).value_or("");
}

}  // namespace timd::xmpp
