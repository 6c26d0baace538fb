// A parsed or to-be-sent XML element: the stanza tree used everywhere inside
// the XMPP layer. Namespaces are resolved: `name` is the local name and
// `xmlns` the element's namespace URI. Character data of mixed content is
// concatenated into `text` (XMPP payloads we handle are never mixed).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace timd::xmpp {

struct Element {
  std::string name;
  std::string xmlns;
  std::vector<std::pair<std::string, std::string>> attrs;  // non-namespace attributes, in order
  std::vector<Element> children;
  std::string text;

  Element() = default;
  Element(std::string name, std::string xmlns) : name(std::move(name)), xmlns(std::move(xmlns)) {}

  // Attribute value, or empty when absent.
  std::string_view Attr(std::string_view key) const;
  bool HasAttr(std::string_view key) const;
  Element& SetAttr(std::string key, std::string value);

  // First child with this name (and namespace, when given); nullptr if none.
  const Element* Child(std::string_view name, std::string_view ns = {}) const;
  Element& AddChild(Element child);
  // Convenience: add <name xmlns=ns>text</name> and return it.
  Element& AddTextChild(std::string name, std::string ns, std::string text);

  // Serializes with escaping. `parent_ns` suppresses a redundant xmlns
  // attribute when the element inherits its namespace (e.g. jabber:client).
  std::string Serialize(std::string_view parent_ns = "jabber:client") const;

  bool operator==(const Element&) const = default;
};

// Escapes text or attribute content (& < > " ').
std::string XmlEscape(std::string_view in);

}  // namespace timd::xmpp
