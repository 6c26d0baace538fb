#include "xmpp/correction.h"

#include <spdlog/spdlog.h>

#include <utility>

#include "xmpp/message_id.h"
#include "xmpp/namespaces.h"

namespace timd::xmpp {

std::optional<Correction> ParseCorrection(const Element& message, const MessageContext& context) {
  const Element* replace = message.Child("replace", kCorrectNs);
  if (replace == nullptr) return std::nullopt;
  std::optional<MessageOrigin> origin = OriginOf(message, context);
  const Element* body = message.Child("body", message.xmlns);
  if (!origin || body == nullptr || !IsUsableReferencedId(replace->Attr("id"))) {
    spdlog::warn("XMPP: ignoring a malformed message correction ({}, {} byte id, {})", ToString(context.source),
                 replace->Attr("id").size(), body == nullptr ? "no body" : "with body");
    return std::nullopt;
  }
  const Element* origin_id = message.Child("origin-id", ns::kSid);
  const Element* payload = message.Child("tim", kTimdPayloadNs);
  return Correction{std::move(*origin), std::string(replace->Attr("id")),
                    origin_id != nullptr ? std::string(origin_id->Attr("id")) : "", body->text,
                    payload != nullptr ? payload->text : ""};
}

Element BuildCorrection(const OutgoingChat& corrected, const std::string& replaced_id,
                        const std::vector<Element>& extra) {
  Element stanza = BuildChatMessage(corrected);
  for (const Element& element : extra) stanza.AddChild(element);
  stanza.AddChild(Element("replace", std::string(kCorrectNs))).SetAttr("id", replaced_id);
  return stanza;
}

MessageCorrection::MessageCorrection(Client& client, Listener listener)
    : client_(client), listener_(std::move(listener)) {}

SentMessage MessageCorrection::Send(OutgoingChat corrected, const std::string& replaced_id,
                                    const std::vector<Element>& extra) {
  if (corrected.id.empty()) corrected.id = NewMessageId();
  SentMessage sent{corrected.id};
  sent.seq = client_.Send(BuildCorrection(corrected, replaced_id, extra));
  return sent;
}

bool MessageCorrection::Claims(const Element& message) const { return message.Child("replace", kCorrectNs) != nullptr; }

bool MessageCorrection::HandleMessagePayload(const Element& message, const MessageContext& context) {
  if (!Claims(message)) return false;
  std::optional<Correction> correction = ParseCorrection(message, context);
  if (correction && listener_) listener_(*correction);
  return true;
}

}  // namespace timd::xmpp
