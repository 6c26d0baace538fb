#include "xmpp/stanza_error.h"

#include "xmpp/namespaces.h"

namespace timd::xmpp {

std::string ErrorCondition(const Element& stanza) {
  if (const Element* error = stanza.Child("error")) {
    for (const Element& child : error->children) {
      if (child.xmlns == ns::kStanzaError && child.name != "text") return child.name;
    }
  }
  return "undefined-condition";
}

}  // namespace timd::xmpp
