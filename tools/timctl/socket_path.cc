#include "socket_path.h"

#include <cstdlib>

namespace timctl {

std::string DefaultSocketPath() {
  if (const char* path = std::getenv("TIMD_SOCKET"); path && *path) return path;
  // Same rule as timd (daemon/src/config/config.cc).
  if (const char* dir = std::getenv("RUNTIME_DIRECTORY"); dir && *dir) {
    std::string first(dir);
    return first.substr(0, first.find(':')) + "/timd.sock";
  }
  return "/run/timd/timd.sock";
}

}  // namespace timctl
