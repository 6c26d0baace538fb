#include "xmpp/carbons.h"

#include <spdlog/spdlog.h>

#include <optional>
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

bool CarbonsManager::HandleStanza(const Element& stanza) {
  if (stanza.name != "message") return false;
  CarbonDirection direction = CarbonDirection::kReceived;
  const Element* wrapper = stanza.Child("received", kCarbonsNs);
  if (wrapper == nullptr) {
    wrapper = stanza.Child("sent", kCarbonsNs);
    direction = CarbonDirection::kSent;
  }
  if (wrapper == nullptr) return false;
  const std::string own = client_.bound_jid().Bare();
  // Anyone can wrap a forged message in a carbon; only our account's own
  // server (our bare JID, or no from) may send real ones.
  std::optional<Jid> from = Jid::Parse(stanza.Attr("from"));
  bool from_own = !stanza.HasAttr("from") || (from && from->resource.empty() && from->Bare() == own);
  if (!from_own) {
    spdlog::warn("XMPP: dropping a message carbon that does not come from our own account");
    return true;
  }
  const Element* forwarded = wrapper->Child("forwarded", ns::kForward);
  const Element* inner = forwarded != nullptr ? forwarded->Child("message", ns::kClient) : nullptr;
  if (inner == nullptr) return true;
  std::optional<IncomingChat> chat = ParseChatMessage(*inner, own);
  if (!chat) return true;  // markers, receipts, chat states: not messages
  if (direction == CarbonDirection::kSent && chat->from.empty()) chat->from = own;
  if (listener_) listener_(*chat, direction);
  return true;
}

}  // namespace timd::xmpp
