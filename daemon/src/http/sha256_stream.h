// SHA-256 over bytes as they stream past (OpenSSL EVP).
#pragma once

#include <openssl/evp.h>

#include <array>
#include <cstddef>
#include <string>

namespace timd::http {

class Sha256Stream {
 public:
  Sha256Stream();
  ~Sha256Stream();
  Sha256Stream(const Sha256Stream&) = delete;
  Sha256Stream& operator=(const Sha256Stream&) = delete;

  void Update(const void* data, size_t size);
  // The digest of everything given so far; call once.
  std::array<unsigned char, 32> Finish();

 private:
  EVP_MD_CTX* ctx_;
};

std::string ToHex(const std::array<unsigned char, 32>& digest);
// Standard base64, as XEP-0300 <hash/> carries it.
std::string ToBase64(const std::array<unsigned char, 32>& digest);

}  // namespace timd::http
