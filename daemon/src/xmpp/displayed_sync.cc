#include "xmpp/displayed_sync.h"

#include <spdlog/spdlog.h>

#include <memory>
#include <utility>

#include "xmpp/data_form.h"
#include "xmpp/jid.h"
#include "xmpp/message_payload.h"
#include "xmpp/namespaces.h"
#include "xmpp/stanza_error.h"

namespace timd::xmpp {
namespace {

constexpr std::string_view kPubsubNs = "http://jabber.org/protocol/pubsub";
constexpr std::string_view kPubsubEventNs = "http://jabber.org/protocol/pubsub#event";
constexpr std::string_view kPublishOptionsForm = "http://jabber.org/protocol/pubsub#publish-options";

std::optional<DisplayedPosition> PositionOf(const Element& item, const std::string& own_bare_jid) {
  const Element* displayed = item.Child("displayed", kDisplayedSyncNs);
  if (displayed == nullptr) return std::nullopt;
  const std::optional<Jid> chat = Jid::Parse(std::string(item.Attr("id")));
  if (!chat || chat->local.empty() || !chat->resource.empty()) return std::nullopt;
  for (const Element& child : displayed->children) {
    if (child.name != "stanza-id" || child.xmlns != ns::kSid || child.Attr("by") != own_bare_jid) continue;
    if (!IsUsableReferencedId(child.Attr("id"))) break;
    return DisplayedPosition{chat->Bare(), std::string(child.Attr("id"))};
  }
  return std::nullopt;
}

std::vector<DisplayedPosition> PositionsIn(const Element& items, const std::string& own_bare_jid) {
  std::vector<DisplayedPosition> positions;
  for (const Element& item : items.children) {
    if (item.name != "item") continue;
    if (auto position = PositionOf(item, own_bare_jid)) {
      positions.push_back(std::move(*position));
    } else {
      spdlog::warn("XMPP: ignoring a malformed displayed-sync item ({} byte id)", item.Attr("id").size());
    }
  }
  return positions;
}

}  // namespace

std::optional<std::vector<DisplayedPosition>> ParseDisplayedNotification(const Element& message,
                                                                         const std::string& own_bare_jid) {
  if (message.name != "message") return std::nullopt;
  const Element* event = message.Child("event", kPubsubEventNs);
  if (event == nullptr) return std::nullopt;
  const Element* items = event->Child("items", kPubsubEventNs);
  if (items == nullptr || items->Attr("node") != kDisplayedSyncNs) return std::nullopt;
  // PEP notifications of our own node come from our bare JID (or, from
  // some servers, without a from): anyone else's is a spoof.
  const std::string_view from = message.Attr("from");
  if (!from.empty() && from != own_bare_jid) {
    spdlog::warn("XMPP: ignoring a displayed-sync notification from another account");
    return std::nullopt;
  }
  return PositionsIn(*items, own_bare_jid);
}

std::vector<DisplayedPosition> ParseDisplayedItems(const Element& items_parent, const std::string& own_bare_jid) {
  const Element* items = items_parent.Child("items", kPubsubNs);
  if (items == nullptr || items->Attr("node") != kDisplayedSyncNs) return {};
  return PositionsIn(*items, own_bare_jid);
}

Element BuildDisplayedPublish(const DisplayedPosition& position, const std::string& own_bare_jid) {
  Element iq("iq", std::string(ns::kClient));
  iq.SetAttr("type", "set");
  Element& pubsub = iq.AddChild(Element("pubsub", std::string(kPubsubNs)));
  Element& publish = pubsub.AddChild(Element("publish", std::string(kPubsubNs)));
  publish.SetAttr("node", std::string(kDisplayedSyncNs));
  Element& item = publish.AddChild(Element("item", std::string(kPubsubNs)));
  item.SetAttr("id", position.chat_jid);
  Element& stanza_id =
      item.AddChild(Element("displayed", std::string(kDisplayedSyncNs))).AddChild(Element("stanza-id", std::string(ns::kSid)));
  stanza_id.SetAttr("id", position.stanza_id);
  stanza_id.SetAttr("by", own_bare_jid);
  Element& form = pubsub.AddChild(Element("publish-options", std::string(kPubsubNs)))
                      .AddChild(SubmitForm(std::string(kPublishOptionsForm)));
  form.AddChild(FormField("pubsub#persist_items", "true"));
  form.AddChild(FormField("pubsub#max_items", "max"));
  form.AddChild(FormField("pubsub#send_last_published_item", "never"));
  form.AddChild(FormField("pubsub#access_model", "whitelist"));
  return iq;
}

DisplayedSync::DisplayedSync(Client& client, Listener listener)
    : client_(client), listener_(std::move(listener)), alive_(std::make_shared<bool>(true)) {}

DisplayedSync::~DisplayedSync() { *alive_ = false; }

void DisplayedSync::Publish(const DisplayedPosition& position) {
  client_.SendIq(BuildDisplayedPublish(position, client_.bound_jid().Bare()), [](const Element* reply) {
    if (reply != nullptr && reply->Attr("type") == "error") {
      spdlog::warn("XMPP: the server refused a displayed-sync publish ({})", ErrorCondition(*reply));
    }
  });
}

void DisplayedSync::FetchAll() {
  Element iq("iq", std::string(ns::kClient));
  iq.SetAttr("type", "get");
  iq.AddChild(Element("pubsub", std::string(kPubsubNs)))
      .AddChild(Element("items", std::string(kPubsubNs)))
      .SetAttr("node", std::string(kDisplayedSyncNs));
  std::weak_ptr<bool> alive = alive_;
  client_.SendIq(std::move(iq), [this, alive](const Element* reply) {
    auto still_here = alive.lock();
    if (!still_here || !*still_here || reply == nullptr) return;
    const Element* pubsub = reply->Child("pubsub", kPubsubNs);
    if (reply->Attr("type") != "result" || pubsub == nullptr) {
      // item-not-found: no device has published yet.
      spdlog::debug("XMPP: no displayed-sync items ({})", ErrorCondition(*reply));
      return;
    }
    auto positions = ParseDisplayedItems(*pubsub, client_.bound_jid().Bare());
    if (!positions.empty() && listener_) listener_(positions);
  });
}

bool DisplayedSync::HandleStanza(const Element& stanza) {
  auto positions = ParseDisplayedNotification(stanza, client_.bound_jid().Bare());
  if (!positions) return false;
  if (!positions->empty() && listener_) listener_(*positions);
  return true;
}

}  // namespace timd::xmpp
