#include "xmpp/element.h"

namespace timd::xmpp {
namespace {

// XML 1.0 forbids most C0 control characters even as character references,
// so they are dropped rather than producing a stream the server rejects.
bool IsForbiddenControl(char c) {
  return static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r';
}

// `in_attribute`: also protect whitespace from attribute-value normalization.
void AppendEscaped(std::string& out, std::string_view in, bool in_attribute) {
  for (char c : in) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      case '\r': out += "&#13;"; break;  // would otherwise be normalized to \n
      case '\n': out += in_attribute ? "&#10;" : "\n"; break;
      case '\t': out += in_attribute ? "&#9;" : "\t"; break;
      default:
        if (!IsForbiddenControl(c)) out += c;
    }
  }
}

void SerializeTo(const Element& element, std::string_view parent_ns, std::string& out) {
  out += '<';
  out += element.name;
  if (element.xmlns != parent_ns) {
    out += " xmlns='";
    AppendEscaped(out, element.xmlns, true);
    out += '\'';
  }
  for (const auto& [key, value] : element.attrs) {
    out += ' ';
    out += key;
    out += "='";
    AppendEscaped(out, value, true);
    out += '\'';
  }
  if (element.children.empty() && element.text.empty()) {
    out += "/>";
    return;
  }
  out += '>';
  AppendEscaped(out, element.text, false);
  for (const Element& child : element.children) SerializeTo(child, element.xmlns, out);
  out += "</";
  out += element.name;
  out += '>';
}

}  // namespace

std::string_view Element::Attr(std::string_view key) const {
  for (const auto& [k, v] : attrs) {
    if (k == key) return v;
  }
  return {};
}

bool Element::HasAttr(std::string_view key) const {
  for (const auto& attr : attrs) {
    if (attr.first == key) return true;
  }
  return false;
}

Element& Element::SetAttr(std::string key, std::string value) {
  for (auto& attr : attrs) {
    if (attr.first == key) {
      attr.second = std::move(value);
      return *this;
    }
  }
  attrs.emplace_back(std::move(key), std::move(value));
  return *this;
}

const Element* Element::Child(std::string_view child_name, std::string_view ns) const {
  for (const Element& child : children) {
    if (child.name == child_name && (ns.empty() || child.xmlns == ns)) return &child;
  }
  return nullptr;
}

Element& Element::AddChild(Element child) {
  children.push_back(std::move(child));
  return children.back();
}

Element& Element::AddTextChild(std::string child_name, std::string ns, std::string child_text) {
  Element& child = AddChild(Element(std::move(child_name), std::move(ns)));
  child.text = std::move(child_text);
  return child;
}

std::string Element::Serialize(std::string_view parent_ns) const {
  std::string out;
  SerializeTo(*this, parent_ns, out);
  return out;
}

bool IsXmlText(std::string_view text) {
  for (size_t pos = 0; pos < text.size();) {
    const auto lead = static_cast<unsigned char>(text[pos]);
    if (lead < 0x80) {
      if (IsForbiddenControl(static_cast<char>(lead))) return false;
      ++pos;
      continue;
    }
    // A multi-byte sequence: its length, its payload bits in the lead byte,
    // and its smallest code point (anything below is an overlong form).
    size_t length = 4;
    char32_t c = lead & 0x07;
    char32_t min = 0x10000;
    if ((lead & 0xe0) == 0xc0) {
      length = 2;
      c = lead & 0x1f;
      min = 0x80;
    } else if ((lead & 0xf0) == 0xe0) {
      length = 3;
      c = lead & 0x0f;
      min = 0x800;
    } else if ((lead & 0xf8) != 0xf0) {
      return false;  // a continuation byte, or no UTF-8 lead byte at all
    }
    if (pos + length > text.size()) return false;
    for (size_t i = 1; i < length; ++i) {
      const auto next = static_cast<unsigned char>(text[pos + i]);
      if ((next & 0xc0) != 0x80) return false;
      c = (c << 6) | (next & 0x3f);
    }
    if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff) || c == 0xfffe || c == 0xffff) return false;
    pos += length;
  }
  return true;
}

std::string XmlEscape(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  AppendEscaped(out, in, true);
  return out;
}

}  // namespace timd::xmpp
