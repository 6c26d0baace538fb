#include "api/peer_groups.h"

#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>

namespace timd::api {

std::optional<std::vector<gid_t>> SocketPeerGroups(int fd) {
  std::vector<gid_t> groups(64);
  for (int attempt = 0; attempt < 2; ++attempt) {
    socklen_t len = static_cast<socklen_t>(groups.size() * sizeof(gid_t));
    if (getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, groups.data(), &len) == 0) {
      groups.resize(len / sizeof(gid_t));
      return groups;
    }
    if (errno != ERANGE) break;
    groups.resize(len / sizeof(gid_t) + 1);  // the kernel said how much it needs
  }
  if (errno != ENOPROTOOPT) spdlog::warn("api: SO_PEERGROUPS failed: {}", std::strerror(errno));
  return std::nullopt;
}

std::vector<gid_t> ProcSupplementaryGroups(pid_t pid) {
  std::vector<gid_t> groups;
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (!line.starts_with("Groups:")) continue;
    std::istringstream ids(line.substr(7));
    gid_t gid;
    while (ids >> gid) groups.push_back(gid);
    break;
  }
  return groups;
}

std::vector<gid_t> PeerSupplementaryGroups(int fd, pid_t pid) {
  if (auto groups = SocketPeerGroups(fd)) return *std::move(groups);
  return ProcSupplementaryGroups(pid);
}

}  // namespace timd::api
