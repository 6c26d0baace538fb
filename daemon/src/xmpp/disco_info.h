// XEP-0030 service discovery data: what an entity says it is (identities),
// what it implements (features) and the extended information forms
// (XEP-0128) that XEP-0115 includes in its hash. Converts between a
// <query xmlns='http://jabber.org/protocol/disco#info'/> and plain structs.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "xmpp/element.h"

namespace timd::xmpp {

inline constexpr std::string_view kDiscoInfoNs = "http://jabber.org/protocol/disco#info";
inline constexpr std::string_view kDiscoItemsNs = "http://jabber.org/protocol/disco#items";

struct DiscoIdentity {
  std::string category;
  std::string type;
  std::string lang;  // xml:lang, often empty
  std::string name;
  auto operator<=>(const DiscoIdentity&) const = default;
};

// A data form (XEP-0004) attached to disco#info: its FORM_TYPE and the other
// fields' values, as XEP-0115 hashes them.
struct DiscoForm {
  std::string form_type;
  bool form_type_hidden = false;  // only hidden FORM_TYPEs count for caps
  std::vector<std::pair<std::string, std::vector<std::string>>> fields;  // var -> values
  bool operator==(const DiscoForm&) const = default;
};

struct DiscoInfo {
  std::vector<DiscoIdentity> identities;
  std::vector<std::string> features;
  std::vector<DiscoForm> forms;
  bool operator==(const DiscoInfo&) const = default;
};

// Bounds on a peer's answer: more than this is refused as oversize rather
// than stored or hashed.
inline constexpr size_t kMaxDiscoEntries = 512;     // identities + features + form fields
inline constexpr size_t kMaxDiscoTextBytes = 64 * 1024;  // all strings together

// Reads a disco#info <query/>; nothing (and `why`) when it is not one, or
// is larger than the bounds above.
std::optional<DiscoInfo> ParseDiscoInfo(const Element& query, std::string* why);
// The <query/> answering disco#info, with `node` when not empty.
Element BuildDiscoInfoQuery(const DiscoInfo& info, const std::string& node);

}  // namespace timd::xmpp
