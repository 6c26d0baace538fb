#include "domain/text_validation.h"

#include <cstdio>

#include "common/xml_char.h"

namespace timd::domain {
namespace {

std::string CodePoint(uint32_t cp) {
  char out[16];
  std::snprintf(out, sizeof out, "U+%04X", cp);
  return out;
}

std::string Describe(const XmlChar& ch, std::string_view text, size_t pos) {
  switch (ch.kind) {
    case XmlCharKind::kNotXmlChar:
      return CodePoint(ch.code_point) + (ch.code_point < 0x20 ? " (a control character)" : " (a noncharacter)");
    case XmlCharKind::kSurrogate:
      return CodePoint(ch.code_point) + " (a UTF-16 surrogate, which UTF-8 must not encode)";
    case XmlCharKind::kOverlong:
      return "an overlong UTF-8 encoding of " + CodePoint(ch.code_point);
    case XmlCharKind::kBeyondUnicode:
      return "a code point above U+10FFFF";
    case XmlCharKind::kTruncated:
      return "an incomplete UTF-8 sequence";
    default: {
      char byte[8];
      std::snprintf(byte, sizeof byte, "0x%02X", static_cast<unsigned char>(text[pos]));
      return std::string(byte) + " (not valid UTF-8)";
    }
  }
}

}  // namespace

std::optional<std::string> XmlTextProblem(std::string_view utf8) {
  for (size_t pos = 0; pos < utf8.size();) {
    const XmlChar ch = ScanXmlChar(utf8, pos);
    if (ch.kind != XmlCharKind::kValid) {
      return "byte " + std::to_string(pos) + ": " + Describe(ch, utf8, pos) + " cannot be sent";
    }
    pos += ch.length;
  }
  return std::nullopt;
}

}  // namespace timd::domain
