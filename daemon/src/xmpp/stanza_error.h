// RFC 6120 §8.3 stanza errors, as the modules read them from replies.
#pragma once

#include <string>

#include "xmpp/element.h"

namespace timd::xmpp {

// The defined condition of a type='error' stanza's <error/> (e.g.
// "item-not-found"); "undefined-condition" when it names none.
std::string ErrorCondition(const Element& stanza);

}  // namespace timd::xmpp
