#include "instance_socket.h"

#include <cstdlib>

#include "tim_json.h"

namespace timclient {

bool IsValidInstanceName(std::string_view name) {
  // The consumer-name alphabet has no '/'; a leading '.' would allow ".."
  return IsValidConsumerName(name) && name.front() != '.';
}

std::string InstanceSocketPath(std::string_view name) {
  // $TIMD_RUNTIME_DIR: where the sockets are when not under /run/timd (a
  // user unit's $XDG_RUNTIME_DIR/timd, a test's scratch directory).
  const char* dir = std::getenv("TIMD_RUNTIME_DIR");
  std::string path = dir != nullptr && *dir != '\0' ? dir : "/run/timd";
  return path + "/" + std::string(name) + ".sock";
}

}  // namespace timclient
