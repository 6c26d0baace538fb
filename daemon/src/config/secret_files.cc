#include "config/secret_files.h"

#include <sys/stat.h>
#include <sysexits.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace timd {
namespace {

// Group may read (0640 root:timd is fine); group write/exec and any access by
// others make the mode wider than 0640. The owner's bits are the owner's.
constexpr mode_t kTooWideBits = 0037;

std::string OctalMode(mode_t mode) {
  char text[8];
  std::snprintf(text, sizeof(text), "%04o", static_cast<unsigned>(mode & 07777));
  return text;
}

// `alternative`: the other way to provide the file, named in the fix.
std::optional<StartupRefusal> CheckSecretFile(const std::string& path, const std::string& key,
                                              const std::string& alternative) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    return StartupRefusal{EX_NOINPUT, key + " " + path + ": " + std::strerror(errno) + "; create it (mode 0600)" +
                                          alternative};
  }
  if ((st.st_mode & kTooWideBits) != 0) {
    return StartupRefusal{EX_NOPERM, key + " " + path + " has mode " + OctalMode(st.st_mode) +
                                         ", wider than 0640: run chmod 0600 " + path + alternative};
  }
  return std::nullopt;
}

}  // namespace

std::optional<StartupRefusal> ResolveSecretFiles(Config& config) {
  const char* credentials = std::getenv("CREDENTIALS_DIRECTORY");
  if (credentials && *credentials && !config.password_file.empty() &&
      config.password_file.find('/') == std::string::npos) {
    config.password_file = std::string(credentials) + "/" + config.password_file;
  }
  if (!config.password_file.empty()) {
    const std::string credential =
        ", or keep it root-only and give it to timd with LoadCredential=password:PATH in the unit "
        "and password_file = \"password\"";
    if (auto refusal = CheckSecretFile(config.password_file, "password_file", credential)) return refusal;
  }
  if (!config.api_tls_key.empty()) {
    if (auto refusal = CheckSecretFile(config.api_tls_key, "tls_key", "")) return refusal;
  }
  return std::nullopt;
}

}  // namespace timd
