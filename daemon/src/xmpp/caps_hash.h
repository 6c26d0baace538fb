// XEP-0115 §5: the verification string of a disco#info answer and its
// SHA-1 hash ("ver"), as sent in <c/> and checked when a peer's answer
// arrives. SHA-1 and base64 come from OpenSSL.
#pragma once

#include <optional>
#include <string>

#include "xmpp/disco_info.h"

namespace timd::xmpp {

// The string S of XEP-0115 §5.1; nothing when §5.4 calls the answer
// ill-formed (an identity, a feature or a FORM_TYPE given twice). Forms
// without a hidden FORM_TYPE are left out, as §5.4 says.
std::optional<std::string> CapsVerificationString(const DiscoInfo& info);

// base64(SHA-1(S)); nothing when S is.
std::optional<std::string> CapsSha1Ver(const DiscoInfo& info);

}  // namespace timd::xmpp
