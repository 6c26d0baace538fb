#include "xmpp/receipts.h"

#include <spdlog/spdlog.h>

#include <utility>

#include "xmpp/message_id.h"
#include "xmpp/namespaces.h"

namespace timd::xmpp {

std::optional<DeliveryReceipt> ParseDeliveryReceipt(const Element& message, const MessageContext& context) {
  const Element* received = message.Child("received", kReceiptsNs);
  if (received == nullptr) return std::nullopt;
  std::optional<MessageOrigin> origin = OriginOf(message, context);
  if (!origin || !IsUsableReferencedId(received->Attr("id"))) {
    spdlog::warn("XMPP: ignoring a malformed delivery receipt ({}, {} byte id)", ToString(context.source),
                 received->Attr("id").size());
    return std::nullopt;
  }
  return DeliveryReceipt{std::move(*origin), std::string(received->Attr("id"))};
}

std::optional<Element> BuildReceiptAnswer(const Element& message, const std::string& id) {
  const std::string_view type = message.Attr("type");
  if (message.Child("request", kReceiptsNs) == nullptr || message.Child("received", kReceiptsNs) != nullptr ||
      type == "error" || type == "groupchat" || !IsUsableReferencedId(message.Attr("id")) ||
      !message.HasAttr("from")) {
    return std::nullopt;
  }
  Element answer("message", std::string(ns::kClient));
  // The same type as the message, so a chat receipt is carbon-copied too.
  if (!type.empty()) answer.SetAttr("type", std::string(type));
  answer.SetAttr("to", std::string(message.Attr("from")));
  answer.SetAttr("id", id);
  answer.AddChild(Element("received", std::string(kReceiptsNs))).SetAttr("id", std::string(message.Attr("id")));
  return answer;
}

DeliveryReceipts::DeliveryReceipts(Client& client, Listener listener, bool answer_requests)
    : client_(client), listener_(std::move(listener)), answer_requests_(answer_requests) {}

std::vector<std::string> DeliveryReceipts::DiscoFeatures() const {
  if (!answer_requests_) return {};
  return {std::string(kReceiptsNs)};
}

bool DeliveryReceipts::HandleMessagePayload(const Element& message, const MessageContext& context) {
  if (answer_requests_ && context.source == MessageSource::kLive) {
    if (std::optional<Element> answer = BuildReceiptAnswer(message, NewMessageId())) client_.Send(*answer);
  }
  if (message.Child("received", kReceiptsNs) == nullptr) return false;
  std::optional<DeliveryReceipt> receipt = ParseDeliveryReceipt(message, context);
  if (receipt && listener_) listener_(*receipt);
  return message.Child("body", message.xmlns) == nullptr;
}

}  // namespace timd::xmpp
