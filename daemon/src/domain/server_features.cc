#include "domain/server_features.h"

#include <spdlog/spdlog.h>

#include "xmpp/csi.h"
#include "xmpp/disco.h"
#include "xmpp/jid.h"

namespace timd::domain {
namespace {

constexpr std::string_view kSmNs = "urn:xmpp:sm:3";
constexpr std::string_view kCarbonsNs = "urn:xmpp:carbons:2";
constexpr std::string_view kMamNs = "urn:xmpp:mam:2";

}  // namespace

void ServerFeatures::Discover(xmpp::Client& client, const std::string& account_jid) {
  Clear();
  ReadStreamFeatures(client);
  const auto jid = xmpp::Jid::Parse(account_jid);
  if (!jid) return;
  auto remember = [this](std::string_view wanted) {
    return [this, wanted](const xmpp::DiscoReply& reply) {
      if (!reply.info) return spdlog::debug("disco#info for {} failed: {}", wanted, reply.error);
      for (const auto& feature : reply.info->features) {
        if (feature == wanted) discovered_.insert(feature);
      }
    };
  };
  xmpp::QueryDiscoInfo(client, jid->domain, "", alive_, remember(kCarbonsNs));
  xmpp::QueryDiscoInfo(client, jid->Bare(), "", alive_, remember(kMamNs));
}

void ServerFeatures::OnResumed(const xmpp::Client& client) {
  stream_.clear();
  ReadStreamFeatures(client);
}

void ServerFeatures::ReadStreamFeatures(const xmpp::Client& client) {
  const xmpp::Element& features = client.stream_features();
  if (features.Child("sm", kSmNs) != nullptr) stream_.insert(std::string(kSmNs));
  if (features.Child("csi", xmpp::kCsiNs) != nullptr) stream_.insert(std::string(xmpp::kCsiNs));
}

std::vector<std::string> ServerFeatures::List() const {
  std::set<std::string> all = stream_;
  all.insert(discovered_.begin(), discovered_.end());
  return {all.begin(), all.end()};
}

}  // namespace timd::domain
