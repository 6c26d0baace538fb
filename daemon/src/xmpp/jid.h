// JIDs (RFC 7622), the small subset the client needs: split, bare, compare.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace timd::xmpp {

struct Jid {
  std::string local;     // may be empty (domain JID)
  std::string domain;
  std::string resource;  // may be empty (bare JID)

  // Lower-cases local and domain; rejects empty domain or stray separators.
  static std::optional<Jid> Parse(std::string_view text);
  std::string Bare() const;
  std::string Full() const;
  bool operator==(const Jid&) const = default;
};

}  // namespace timd::xmpp
