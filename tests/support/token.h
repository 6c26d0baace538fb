// Tokens for tools/prosody/mod_auth_timd_token.lua (TIM's UserSig):
// "v1:<expires>:<hex HMAC-SHA256(secret, "<user>@<domain>:<expires>")>".
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace timd::test {

// A token for `user`@`domain` that expires at `expires_unix` (seconds).
std::string MintToken(const std::string& secret, const std::string& user, const std::string& domain,
                      int64_t expires_unix);

// A token that expires `ttl` from now (negative: already expired).
std::string MintTokenFor(const std::string& secret, const std::string& user, const std::string& domain,
                         std::chrono::seconds ttl);

}  // namespace timd::test
