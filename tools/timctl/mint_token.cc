#include "mint_token.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <stdexcept>

namespace timctl {

std::optional<std::string> CanonicalUserAtDomain(std::string_view jid) {
  auto at = jid.find('@');
  if (at == std::string_view::npos || at == 0 || at + 1 == jid.size()) return std::nullopt;
  std::string out;
  for (size_t i = 0; i < jid.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(jid[i]);
    if (c <= ' ' || c == ':' || c == 0x7f || (c == '@' && i != at)) return std::nullopt;
    out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : static_cast<char>(c);
  }
  return out;
}

std::string SecretFromFileContents(std::string contents) {
  if (!contents.empty() && contents.back() == '\n') contents.pop_back();
  return contents;
}

std::string MintToken(std::string_view user_at_domain, std::string_view secret, int64_t expires_unix) {
  std::string expires = std::to_string(expires_unix);
  std::string message = std::string(user_at_domain) + ":" + expires;
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_len = 0;
  if (!HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
            reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac, &mac_len)) {
    throw std::runtime_error("HMAC-SHA256 failed");
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string token = "v1:" + expires + ":";
  for (unsigned int i = 0; i < mac_len; ++i) {
    token += kHex[mac[i] >> 4];
    token += kHex[mac[i] & 0xf];
  }
  return token;
}

}  // namespace timctl
