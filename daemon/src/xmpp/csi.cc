#include "xmpp/csi.h"

#include <spdlog/spdlog.h>

namespace timd::xmpp {

bool CsiManager::offered() const { return client_.stream_features().Child("csi", kCsiNs) != nullptr; }

void CsiManager::Indicate(bool active) {
  if (!offered() || told_ == active || client_.state() != ClientState::kOnline) return;
  told_ = active;
  client_.SendNonza(Element(active ? "active" : "inactive", std::string(kCsiNs)));
  spdlog::info("XMPP: told the server the client is {} (XEP-0352)", active ? "active" : "inactive");
}

}  // namespace timd::xmpp
