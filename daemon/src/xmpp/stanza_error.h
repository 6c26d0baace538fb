// RFC 6120 defined conditions: of stanza errors (§8.3), as the modules read
// them from replies, and of the elements shaped alike (stream errors, SASL
// failures, XEP-0198 <failed/>).
#pragma once

#include <string>
#include <string_view>

#include "xmpp/element.h"

namespace timd::xmpp {

// The first child of `parent` in `ns` other than <text/> (e.g.
// "not-authorized"); "undefined-condition" when it names none.
std::string DefinedCondition(const Element& parent, std::string_view ns);

// The defined condition of a type='error' stanza's <error/> (e.g.
// "item-not-found"); "undefined-condition" when it names none.
std::string ErrorCondition(const Element& stanza);

}  // namespace timd::xmpp
