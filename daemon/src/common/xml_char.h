// UTF-8 text as XML 1.0 accepts it: Char ::= #x9 | #xA | #xD | [#x20-#xD7FF]
// | [#xE000-#xFFFD] | [#x10000-#x10FFFF], each in its shortest UTF-8 form.
// One decoder for the API's input checks and the stanza serializer, which
// must never write a byte the server takes for a broken stream.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace timd {

enum class XmlCharKind {
  kValid,
  kNotXmlChar,    // well-formed UTF-8 that XML forbids: C0 controls, U+FFFE, U+FFFF
  kSurrogate,     // U+D800..U+DFFF encoded in UTF-8 (CESU-8, or a lone surrogate)
  kOverlong,      // a longer encoding than the code point needs
  kBeyondUnicode, // above U+10FFFF
  kTruncated,     // a lead byte without all its continuation bytes
  kInvalidByte,   // a stray continuation byte, or 0xF8..0xFF
};

struct XmlChar {
  XmlCharKind kind = XmlCharKind::kValid;
  uint32_t code_point = 0;  // decoded value; meaningless for kTruncated and kInvalidByte
  size_t length = 1;        // bytes to skip to the next character (at least 1)
};

// Decodes the character at `pos` (< text.size()).
XmlChar ScanXmlChar(std::string_view text, size_t pos);

}  // namespace timd
