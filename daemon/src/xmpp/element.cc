#include "xmpp/element.h"

#include "common/xml_char.h"

namespace timd::xmpp {
namespace {

// XML 1.0 forbids most C0 control characters even as character references,
// so they are dropped rather than producing a stream the server rejects.
bool IsForbiddenControl(char c) {
  return static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r';
}

// `in_attribute`: also protect whitespace from attribute-value normalization.
// The API refuses text that XML cannot carry (domain/text_validation.h);
// whatever slips past it still never reaches the wire as a byte sequence
// that would end the stream: forbidden controls are dropped and any other
// non-character or broken UTF-8 becomes U+FFFD.
void AppendEscaped(std::string& out, std::string_view in, bool in_attribute) {
  for (size_t i = 0; i < in.size();) {
    const char c = in[i];
    if (static_cast<unsigned char>(c) >= 0x80) {
      const XmlChar ch = ScanXmlChar(in, i);
      out += ch.kind == XmlCharKind::kValid ? in.substr(i, ch.length) : "\xEF\xBF\xBD";
      i += ch.length;
      continue;
    }
    ++i;
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

std::string XmlEscape(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  AppendEscaped(out, in, true);
  return out;
}

}  // namespace timd::xmpp
