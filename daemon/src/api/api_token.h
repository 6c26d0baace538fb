// The bearer token that TCP callers of the API must present: 32 random bytes
// as 64 lowercase hex digits, kept in a 0600 file in the state dir.
#pragma once

#include <string>

#include "common/status.h"

namespace timd::api {

inline constexpr char kApiTokenFileName[] = "api-token";

// Reads the token from `path`, or creates the file with a fresh token when it
// does not exist. Creation is atomic: the token is written and synced to a
// private temporary file (O_EXCL, 0600) that is then linked into place, so a
// crash never leaves an empty token file and concurrent starts agree on one
// token. An existing file must be a regular file that group and others cannot
// read or write, holding one token line; otherwise an error says why.
Result<std::string> LoadOrCreateApiToken(const std::string& path);

}  // namespace timd::api
