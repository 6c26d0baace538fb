#include "xmpp/carbons.h"

#include <spdlog/spdlog.h>

#include <utility>

#include "xmpp/jid.h"
#include "xmpp/namespaces.h"

namespace timd::xmpp {
namespace {

constexpr std::string_view kCarbonsNs = "urn:xmpp:carbons:2";

}  // namespace

CarbonsManager::CarbonsManager(Client& client, Listener listener)
    : client_(client), listener_(std::move(listener)) {}

CarbonsManager::~CarbonsManager() { *alive_ = false; }

void CarbonsManager::Enable(std::function<void(bool enabled)> done) {
  Element iq("iq", std::string(ns::kClient));
  iq.SetAttr("type", "set");
  iq.AddChild(Element("enable", std::string(kCarbonsNs)));
  std::weak_ptr<bool> alive = alive_;
  client_.SendIq(std::move(iq), [alive, done = std::move(done)](const Element* reply) {
    bool enabled = reply != nullptr && reply->Attr("type") == "result";
    if (!enabled) spdlog::warn("XMPP: the server did not enable message carbons");
    auto still_here = alive.lock();
    if (still_here && *still_here && done) done(enabled);
  });
}

Carbon UnwrapCarbon(const Element& stanza, const std::string& own_bare_jid) {
  Carbon carbon;
  if (stanza.name != "message") return carbon;
  const Element* wrapper = stanza.Child("received", kCarbonsNs);
  if (wrapper == nullptr) {
    wrapper = stanza.Child("sent", kCarbonsNs);
    carbon.direction = CarbonDirection::kSent;
  }
  if (wrapper == nullptr) return carbon;
  carbon.is_carbon = true;
  std::optional<Jid> from = Jid::Parse(stanza.Attr("from"));
  carbon.from_own = !stanza.HasAttr("from") || (from && from->resource.empty() && from->Bare() == own_bare_jid);
  if (!carbon.from_own) return carbon;
  const Element* inner = ForwardedMessage(*wrapper);
  if (inner == nullptr) return carbon;
  carbon.message = inner;
  carbon.chat = ParseChatMessage(*inner, own_bare_jid);
  if (carbon.chat && carbon.direction == CarbonDirection::kSent && carbon.chat->from.empty()) {
    carbon.chat->from = own_bare_jid;
  }
  return carbon;
}

bool CarbonsManager::HandleStanza(const Element& stanza) {
  const std::string own = client_.bound_jid().Bare();
  Carbon carbon = UnwrapCarbon(stanza, own);
  if (!carbon.is_carbon) return false;
  if (!carbon.from_own) {
    spdlog::warn("XMPP: dropping a message carbon that does not come from our own account");
    return true;
  }
  const MessageSource source =
      carbon.direction == CarbonDirection::kSent ? MessageSource::kCarbonSent : MessageSource::kCarbonReceived;
  if (payloads_ != nullptr && carbon.message != nullptr &&
      payloads_->Offer(*carbon.message, ContextOf(*carbon.message, source, own))) {
    return true;
  }
  if (carbon.chat && listener_) {
    listener_(*carbon.chat, carbon.direction);
  }
  return true;
}

}  // namespace timd::xmpp
