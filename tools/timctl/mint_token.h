// Time-limited login tokens for timd's Prosody auth provider.
//
// Format: "v1:<expires_unix_seconds>:<hex>", hex = lower-case hex of
// HMAC-SHA256(key = the shared secret,
//             message = "<user>@<domain>:<expires_unix_seconds>"),
// with user and domain lower-cased.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace timctl {

// "User@Domain" lower-cased (ASCII); nullopt unless it is exactly
// "<non-empty>@<non-empty>" without whitespace, ':' or a second '@'.
std::optional<std::string> CanonicalUserAtDomain(std::string_view jid);

// A secret file's contents with one trailing "\n" removed (nothing else).
std::string SecretFromFileContents(std::string contents);

// The token for `user_at_domain` (canonicalised by the caller) expiring at
// `expires_unix`.
std::string MintToken(std::string_view user_at_domain, std::string_view secret, int64_t expires_unix);

}  // namespace timctl
