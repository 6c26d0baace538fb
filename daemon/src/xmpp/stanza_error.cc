#include "xmpp/stanza_error.h"

#include "xmpp/namespaces.h"

namespace timd::xmpp {

std::string DefinedCondition(const Element& parent, std::string_view ns) {
  for (const Element& child : parent.children) {
    if (child.xmlns == ns && child.name != "text") return child.name;
  }
  return "undefined-condition";
}

std::string ErrorCondition(const Element& stanza) {
  const Element* error = stanza.Child("error");
  return error != nullptr ? DefinedCondition(*error, ns::kStanzaError) : "undefined-condition";
}

}  // namespace timd::xmpp
