// The supplementary groups of the process at the other end of a Unix socket.
#pragma once

#include <sys/types.h>

#include <optional>
#include <vector>

namespace timd::api {

// SO_PEERGROUPS (Linux >= 4.13): the groups the peer had when it connected.
// nullopt when the kernel does not know the option (ENOPROTOOPT) or the call
// fails otherwise.
std::optional<std::vector<gid_t>> SocketPeerGroups(int fd);

// The "Groups:" line of /proc/<pid>/status; empty when unreadable (e.g.
// hidden by ProtectProc=invisible). Best effort: the pid may already have
// exited or been reused.
std::vector<gid_t> ProcSupplementaryGroups(pid_t pid);

// SocketPeerGroups, falling back to ProcSupplementaryGroups(pid) on kernels
// without SO_PEERGROUPS.
std::vector<gid_t> PeerSupplementaryGroups(int fd, pid_t pid);

}  // namespace timd::api
