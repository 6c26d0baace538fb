#include "common/xml_char.h"

namespace timd {
namespace {

bool IsXmlChar(uint32_t cp) {
  if (cp < 0x20) return cp == 0x9 || cp == 0xA || cp == 0xD;
  return cp != 0xFFFE && cp != 0xFFFF;  // surrogates and > U+10FFFF are classified before
}

}  // namespace

XmlChar ScanXmlChar(std::string_view text, size_t pos) {
  const auto lead = static_cast<unsigned char>(text[pos]);
  XmlChar ch;
  if (lead < 0x80) {
    ch.code_point = lead;
    ch.kind = IsXmlChar(lead) ? XmlCharKind::kValid : XmlCharKind::kNotXmlChar;
    return ch;
  }
  size_t continuation = 0;
  uint32_t min_code_point = 0;
  if (lead >= 0xC0 && lead < 0xE0) {
    continuation = 1;
    min_code_point = 0x80;
  } else if (lead >= 0xE0 && lead < 0xF0) {
    continuation = 2;
    min_code_point = 0x800;
  } else if (lead >= 0xF0 && lead < 0xF8) {
    continuation = 3;
    min_code_point = 0x10000;
  } else {
    ch.kind = XmlCharKind::kInvalidByte;
    return ch;
  }
  ch.code_point = lead & (0x3F >> continuation);
  for (size_t i = 1; i <= continuation; ++i) {
    if (pos + i >= text.size() || (static_cast<unsigned char>(text[pos + i]) & 0xC0) != 0x80) {
      ch.kind = XmlCharKind::kTruncated;
      ch.length = i;  // the next character starts at the byte that broke the sequence
      return ch;
    }
    ch.code_point = (ch.code_point << 6) | (static_cast<unsigned char>(text[pos + i]) & 0x3F);
  }
  ch.length = continuation + 1;
  if (ch.code_point < min_code_point) {
    ch.kind = XmlCharKind::kOverlong;
  } else if (ch.code_point > 0x10FFFF) {
    ch.kind = XmlCharKind::kBeyondUnicode;
  } else if (ch.code_point >= 0xD800 && ch.code_point <= 0xDFFF) {
    ch.kind = XmlCharKind::kSurrogate;
  } else if (!IsXmlChar(ch.code_point)) {
    ch.kind = XmlCharKind::kNotXmlChar;
  }
  return ch;
}

}  // namespace timd
