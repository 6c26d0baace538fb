#include "api/peer_registry.h"

#include <charconv>

namespace timd::api {

void PeerRegistry::Add(int fd, const PeerCredentials& creds) {
  std::lock_guard<std::mutex> lock(mu_);
  peers_[fd] = creds;
}

void PeerRegistry::Remove(int fd) {
  std::lock_guard<std::mutex> lock(mu_);
  peers_.erase(fd);
}

std::optional<PeerCredentials> PeerRegistry::Lookup(int fd) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = peers_.find(fd);
  if (it == peers_.end()) return std::nullopt;
  return it->second;
}

std::optional<PeerCredentials> PeerRegistry::LookupPeer(std::string_view peer) const {
  auto fd = ParsePeerFd(peer);
  if (!fd) return std::nullopt;
  return Lookup(*fd);
}

std::optional<int> PeerRegistry::ParsePeerFd(std::string_view peer) {
  constexpr std::string_view kPrefix = "fd:";
  if (!peer.starts_with(kPrefix)) return std::nullopt;
  peer.remove_prefix(kPrefix.size());
  int fd = -1;
  auto [end, ec] = std::from_chars(peer.data(), peer.data() + peer.size(), fd);
  if (ec != std::errc() || end != peer.data() + peer.size() || fd < 0) return std::nullopt;
  return fd;
}

}  // namespace timd::api
