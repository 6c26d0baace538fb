// XML namespaces used by more than one module of the XMPP layer. A
// namespace that only one module needs stays in that module.
#pragma once

#include <string_view>

namespace timd::xmpp::ns {

inline constexpr std::string_view kClient = "jabber:client";
inline constexpr std::string_view kStanzaError = "urn:ietf:params:xml:ns:xmpp-stanzas";
inline constexpr std::string_view kForward = "urn:xmpp:forward:0";  // XEP-0297
inline constexpr std::string_view kDelay = "urn:xmpp:delay";        // XEP-0203
inline constexpr std::string_view kSid = "urn:xmpp:sid:0";          // XEP-0359
inline constexpr std::string_view kHints = "urn:xmpp:hints";        // XEP-0334

}  // namespace timd::xmpp::ns
