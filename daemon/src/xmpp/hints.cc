#include "xmpp/hints.h"

#include "xmpp/namespaces.h"

namespace timd::xmpp {

void AddNoStoreHints(Element& message) {
  message.AddChild(Element("no-store", std::string(ns::kHints)));
  message.AddChild(Element("no-permanent-store", std::string(ns::kHints)));
}

bool HasNoStoreHint(const Element& message) {
  return message.Child("no-store", ns::kHints) != nullptr || message.Child("no-permanent-store", ns::kHints) != nullptr;
}

}  // namespace timd::xmpp
