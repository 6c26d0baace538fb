#include "api/token_auth.h"

#include <openssl/crypto.h>

#include <utility>

namespace timd::api {

BearerTokenProcessor::BearerTokenProcessor(std::string token) : expected_(kBearerPrefix + std::move(token)) {}

BearerTokenProcessor::~BearerTokenProcessor() { OPENSSL_cleanse(expected_.data(), expected_.size()); }

grpc::Status BearerTokenProcessor::Process(const InputMetadata& auth_metadata, grpc::AuthContext* /*context*/,
                                           OutputMetadata* consumed_auth_metadata,
                                           OutputMetadata* /*response_metadata*/) {
  auto it = auth_metadata.find(kAuthorizationKey);
  if (it == auth_metadata.end()) {
    return grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                        "timd's TCP API needs metadata \"authorization: Bearer <token>\"; the token is in the "
                        "file api-token in timd's state directory");
  }
  const grpc::string_ref& sent = it->second;
  // The length is not secret (always 64 hex digits); the content is.
  bool valid = sent.size() == expected_.size() && CRYPTO_memcmp(sent.data(), expected_.data(), sent.size()) == 0;
  if (!valid) return grpc::Status(grpc::StatusCode::UNAUTHENTICATED, "invalid API token");
  consumed_auth_metadata->emplace(kAuthorizationKey, std::string(sent.data(), sent.size()));
  return grpc::Status::OK;
}

}  // namespace timd::api
