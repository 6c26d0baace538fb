#include "xmpp/retraction.h"

#include <spdlog/spdlog.h>

#include <utility>

#include "xmpp/message_id.h"
#include "xmpp/namespaces.h"

namespace timd::xmpp {
namespace {

constexpr std::string_view kFallbackNs = "urn:xmpp:fallback:0";  // XEP-0428
constexpr std::string_view kFastenNs = "urn:xmpp:fasten:0";      // XEP-0422
constexpr std::string_view kFallbackBody =
    "This person attempted to retract a previous message, but it's unsupported by your client.";  // XEP-0424 example

// The retracted id's holder: <retract/> itself, or the legacy <apply-to/>.
const Element* RetractionElement(const Element& message, bool& legacy) {
  legacy = false;
  if (const Element* retract = message.Child("retract", kRetractNs)) return retract;
  const Element* apply_to = message.Child("apply-to", kFastenNs);
  if (apply_to == nullptr || apply_to->Child("retract", kRetractLegacyNs) == nullptr) return nullptr;
  legacy = true;
  return apply_to;
}

}  // namespace

std::optional<Retraction> ParseRetraction(const Element& message, const MessageContext& context) {
  bool legacy = false;
  const Element* holder = RetractionElement(message, legacy);
  if (holder == nullptr) return std::nullopt;
  std::optional<MessageOrigin> origin = OriginOf(message, context);
  if (!origin || !IsUsableReferencedId(holder->Attr("id"))) {
    spdlog::warn("XMPP: ignoring a malformed message retraction ({}, {} byte id)", ToString(context.source),
                 holder->Attr("id").size());
    return std::nullopt;
  }
  return Retraction{std::move(*origin), std::string(holder->Attr("id")), legacy};
}

Element BuildRetraction(const std::string& to, const std::string& retracted_id, const std::string& id) {
  Element stanza("message", std::string(ns::kClient));
  stanza.SetAttr("type", "chat");
  stanza.SetAttr("to", to);
  stanza.SetAttr("id", id);
  stanza.AddChild(Element("retract", std::string(kRetractNs))).SetAttr("id", retracted_id);
  stanza.AddChild(Element("fallback", std::string(kFallbackNs))).SetAttr("for", std::string(kRetractNs));
  stanza.AddTextChild("body", std::string(ns::kClient), std::string(kFallbackBody));
  stanza.AddChild(Element("origin-id", std::string(ns::kSid))).SetAttr("id", id);
  stanza.AddChild(Element("store", std::string(ns::kHints)));
  return stanza;
}

MessageRetraction::MessageRetraction(Client& client, Listener listener)
    : client_(client), listener_(std::move(listener)) {}

SentMessage MessageRetraction::Send(const std::string& to, const std::string& retracted_id) {
  SentMessage sent{NewMessageId()};
  sent.seq = client_.Send(BuildRetraction(to, retracted_id, sent.id));
  return sent;
}

bool MessageRetraction::Claims(const Element& message) const {
  bool legacy = false;
  return RetractionElement(message, legacy) != nullptr;
}

bool MessageRetraction::HandleMessagePayload(const Element& message, const MessageContext& context) {
  if (!Claims(message)) return false;
  std::optional<Retraction> retraction = ParseRetraction(message, context);
  if (retraction && listener_) listener_(*retraction);
  return true;
}

}  // namespace timd::xmpp
