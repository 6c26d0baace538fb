#include "http/sha256_stream.h"

#include <stdexcept>

namespace timd::http {

Sha256Stream::Sha256Stream() : ctx_(EVP_MD_CTX_new()) {
  if (ctx_ == nullptr || EVP_DigestInit_ex(ctx_, EVP_sha256(), nullptr) != 1) {
    EVP_MD_CTX_free(ctx_);
    throw std::runtime_error("OpenSSL: SHA-256 is not available");
  }
}

Sha256Stream::~Sha256Stream() { EVP_MD_CTX_free(ctx_); }

void Sha256Stream::Update(const void* data, size_t size) { EVP_DigestUpdate(ctx_, data, size); }

std::array<unsigned char, 32> Sha256Stream::Finish() {
  std::array<unsigned char, 32> digest{};
  unsigned int length = 0;
  EVP_DigestFinal_ex(ctx_, digest.data(), &length);
  return digest;
}

std::string ToHex(const std::array<unsigned char, 32>& digest) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  for (unsigned char byte : digest) {
    hex += kDigits[byte >> 4];
    hex += kDigits[byte & 0xf];
  }
  return hex;
}

std::string ToBase64(const std::array<unsigned char, 32>& digest) {
  unsigned char out[4 * ((32 + 2) / 3) + 1];
  const int length = EVP_EncodeBlock(out, digest.data(), static_cast<int>(digest.size()));
  return std::string(reinterpret_cast<char*>(out), static_cast<size_t>(length));
}

}  // namespace timd::http
