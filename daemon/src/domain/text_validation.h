// Checks that text from an app can travel in an XMPP stanza: XML 1.0
// character data in well-formed UTF-8 (see common/xml_char.h). Text that
// cannot would end the stream, and an outbox that keeps it would end every
// later stream too, so it is refused before it is stored.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace timd::domain {

// Why `utf8` cannot be sent, naming the first offending byte offset and
// character but never quoting the text (e.g. "byte 17: U+0001 (a control
// character) cannot be sent"); nothing when it can be sent.
std::optional<std::string> XmlTextProblem(std::string_view utf8);

}  // namespace timd::domain
