#include "xmpp/disco.h"

#include <utility>

#include "xmpp/namespaces.h"
#include "xmpp/stanza_error.h"

namespace timd::xmpp {
namespace {

Element Reply(const Element& iq, std::string_view type) {
  Element reply("iq", std::string(ns::kClient));
  reply.SetAttr("type", std::string(type));
  if (iq.HasAttr("from")) reply.SetAttr("to", std::string(iq.Attr("from")));
  reply.SetAttr("id", std::string(iq.Attr("id")));
  return reply;
}

}  // namespace

DiscoResponder::DiscoResponder(Client& client, const FeatureRegistry& features, std::string caps_node)
    : client_(client), features_(features), caps_node_(std::move(caps_node)) {}

std::vector<std::string> DiscoResponder::DiscoFeatures() const {
  return {std::string(kDiscoInfoNs), std::string(kDiscoItemsNs)};
}

bool DiscoResponder::HandleStanza(const Element& stanza) {
  std::optional<Element> answer = DiscoAnswer(stanza, features_, caps_node_);
  if (!answer) return false;
  client_.Send(*answer);
  return true;
}

std::optional<Element> DiscoAnswer(const Element& iq, const FeatureRegistry& features, const std::string& caps_node) {
  // Results and errors of our own queries go to their callbacks in Client.
  if (iq.name != "iq" || iq.Attr("type") != "get") return std::nullopt;
  const Element* query = iq.Child("query", kDiscoInfoNs);
  if (query == nullptr) query = iq.Child("query", kDiscoItemsNs);
  if (query == nullptr) return std::nullopt;
  const std::string node(query->Attr("node"));
  const bool info = query->xmlns == kDiscoInfoNs;
  if (!node.empty() && !(info && node == caps_node + "#" + features.caps_ver())) {
    Element reply = Reply(iq, "error");
    reply.AddChild(*query);
    Element& error = reply.AddChild(Element("error", std::string(ns::kClient)));
    error.SetAttr("type", "cancel");
    error.AddChild(Element("item-not-found", std::string(ns::kStanzaError)));
    return reply;
  }
  Element reply = Reply(iq, "result");
  reply.AddChild(info ? BuildDiscoInfoQuery(features.info(), node) : Element("query", std::string(kDiscoItemsNs)));
  return reply;
}

void QueryDiscoInfo(Client& client, const std::string& to, const std::string& node, std::weak_ptr<bool> alive,
                    std::function<void(const DiscoReply& reply)> done) {
  Element iq("iq", std::string(ns::kClient));
  iq.SetAttr("type", "get");
  iq.SetAttr("to", to);
  Element& query = iq.AddChild(Element("query", std::string(kDiscoInfoNs)));
  if (!node.empty()) query.SetAttr("node", node);
  client.SendIq(std::move(iq), [alive = std::move(alive), done = std::move(done)](const Element* reply) {
    auto still_here = alive.lock();
    if (!still_here || !*still_here) return;
    DiscoReply result;
    if (reply == nullptr) {
      result.error = "disconnected";
    } else if (reply->Attr("type") != "result") {
      result.error = ErrorCondition(*reply);
    } else if (const Element* answer = reply->Child("query", kDiscoInfoNs)) {
      result.info = ParseDiscoInfo(*answer, &result.error);
    } else {
      result.error = "the answer holds no disco#info query";
    }
    done(result);
  });
}

}  // namespace timd::xmpp
