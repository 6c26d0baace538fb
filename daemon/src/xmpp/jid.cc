#include "xmpp/jid.h"

#include <algorithm>

namespace timd::xmpp {
namespace {

std::string ToLowerAscii(std::string_view in) {
  std::string out(in);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c); });
  return out;
}

// Space and control characters are never valid in a local part or domain.
bool HasSpaceOrControl(std::string_view in) {
  return std::any_of(in.begin(), in.end(), [](unsigned char c) { return c <= 0x20 || c == 0x7f; });
}

}  // namespace

std::optional<Jid> Jid::Parse(std::string_view text) {
  constexpr size_t kMaxPartBytes = 1023;  // RFC 7622 limit per part
  Jid jid;
  std::string_view bare = text;
  if (size_t slash = text.find('/'); slash != std::string_view::npos) {
    jid.resource = std::string(text.substr(slash + 1));
    if (jid.resource.empty() || jid.resource.size() > kMaxPartBytes) return std::nullopt;
    bare = text.substr(0, slash);
  }
  std::string_view domain = bare;
  if (size_t at = bare.find('@'); at != std::string_view::npos) {
    std::string_view local = bare.substr(0, at);
    if (local.empty() || local.size() > kMaxPartBytes || HasSpaceOrControl(local)) return std::nullopt;
    jid.local = ToLowerAscii(local);
    domain = bare.substr(at + 1);
  }
  if (domain.empty() || domain.size() > kMaxPartBytes || domain.find('@') != std::string_view::npos ||
      HasSpaceOrControl(domain)) {
    return std::nullopt;
  }
  jid.domain = ToLowerAscii(domain);
  return jid;
}

std::string Jid::Bare() const {
  return local.empty() ? domain : local + "@" + domain;
}

std::string Jid::Full() const {
  return resource.empty() ? Bare() : Bare() + "/" + resource;
}

}  // namespace timd::xmpp
