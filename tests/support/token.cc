#include "support/token.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cstdio>
#include <ctime>
#include <stdexcept>

namespace timd::test {

std::string MintToken(const std::string& secret, const std::string& user, const std::string& domain,
                      int64_t expires_unix) {
  const std::string expires = std::to_string(expires_unix);
  const std::string message = user + "@" + domain + ":" + expires;
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_len = 0;
  if (HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
           reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac, &mac_len) == nullptr) {
    throw std::runtime_error("HMAC-SHA256 failed");
  }
  std::string hex;
  char byte[3];
  for (unsigned int i = 0; i < mac_len; ++i) {
    std::snprintf(byte, sizeof byte, "%02x", mac[i]);
    hex += byte;
  }
  return "v1:" + expires + ":" + hex;
}

std::string MintTokenFor(const std::string& secret, const std::string& user, const std::string& domain,
                         std::chrono::seconds ttl) {
  return MintToken(secret, user, domain, static_cast<int64_t>(std::time(nullptr)) + ttl.count());
}

}  // namespace timd::test
