#include "common/network_monitor.h"

#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace timd {
namespace {

std::string DescribeAddress(const nlmsghdr* h) {
  const auto* ifa = static_cast<const ifaddrmsg*>(NLMSG_DATA(h));
  // Loopback (host scope) and link-local addresses do not make a server
  // reachable; global and site addresses do.
  if (ifa->ifa_scope == RT_SCOPE_HOST || ifa->ifa_scope == RT_SCOPE_LINK) return "";
  const char* family = ifa->ifa_family == AF_INET6 ? "IPv6" : "IPv4";
  return std::string(family) + " address " + (h->nlmsg_type == RTM_NEWADDR ? "added" : "removed") +
         " on interface " + std::to_string(ifa->ifa_index);
}

std::string DescribeLink(const nlmsghdr* h) {
  const auto* ifi = static_cast<const ifinfomsg*>(NLMSG_DATA(h));
  // Only carrier and administrative state; the kernel also sends RTM_NEWLINK
  // for statistics and wireless events with no flag change.
  constexpr unsigned kStateFlags = IFF_UP | IFF_RUNNING;
  if (h->nlmsg_type == RTM_NEWLINK && (ifi->ifi_change & kStateFlags) == 0) return "";
  if (ifi->ifi_flags & IFF_LOOPBACK) return "";
  const bool up = h->nlmsg_type == RTM_NEWLINK && (ifi->ifi_flags & IFF_RUNNING);
  return "interface " + std::to_string(ifi->ifi_index) + (up ? " up" : " down");
}

std::string DescribeRoute(const nlmsghdr* h) {
  const auto* rtm = static_cast<const rtmsg*>(NLMSG_DATA(h));
  if (rtm->rtm_dst_len != 0 || rtm->rtm_table != RT_TABLE_MAIN) return "";  // default routes only
  return std::string("default route ") + (h->nlmsg_type == RTM_NEWROUTE ? "added" : "removed");
}

}  // namespace

NetworkMonitor::NetworkMonitor(uv_loop_t* loop, std::function<void(const std::string&)> on_change,
                               uint64_t settle_ms)
    : loop_(loop), on_change_(std::move(on_change)), settle_ms_(settle_ms), settle_timer_(loop) {}

NetworkMonitor::~NetworkMonitor() {
  if (poll_) {
    uv_poll_stop(poll_);
    uv_close(reinterpret_cast<uv_handle_t*>(poll_), [](uv_handle_t* h) { delete reinterpret_cast<uv_poll_t*>(h); });
  }
  if (fd_ >= 0) ::close(fd_);
}

bool NetworkMonitor::Start() {
  fd_ = ::socket(AF_NETLINK, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, NETLINK_ROUTE);
  if (fd_ < 0) {
    spdlog::warn("network changes are not watched: netlink socket: {}", std::strerror(errno));
    return false;
  }
  sockaddr_nl addr{};
  addr.nl_family = AF_NETLINK;
  addr.nl_groups = RTMGRP_LINK | RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR | RTMGRP_IPV4_ROUTE | RTMGRP_IPV6_ROUTE;
  if (::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    spdlog::warn("network changes are not watched: netlink bind: {}", std::strerror(errno));
    ::close(fd_);
    fd_ = -1;
    return false;
  }
  poll_ = new uv_poll_t;
  uv_poll_init(loop_, poll_, fd_);
  poll_->data = this;
  uv_poll_start(poll_, UV_READABLE, &NetworkMonitor::OnReadable);
  // Watching must not keep the loop alive at shutdown.
  uv_unref(reinterpret_cast<uv_handle_t*>(poll_));
  return true;
}

void NetworkMonitor::OnReadable(uv_poll_t* handle, int status, int /*events*/) {
  auto* self = static_cast<NetworkMonitor*>(handle->data);
  if (status < 0) {
    spdlog::warn("network monitor: {}", uv_strerror(status));
    return;
  }
  self->Drain();
}

void NetworkMonitor::Drain() {
  alignas(nlmsghdr) char buffer[16384];
  for (;;) {
    const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      // ENOBUFS: the kernel dropped notifications; something changed.
      if (errno == ENOBUFS && pending_.empty()) pending_ = "netlink overrun";
      break;
    }
    if (n == 0) break;
    std::string what = Describe(buffer, static_cast<size_t>(n));
    if (!what.empty() && pending_.empty()) pending_ = std::move(what);
  }
  if (pending_.empty()) return;
  settle_timer_.Start(settle_ms_, [this] {
    std::string what = std::move(pending_);
    pending_.clear();
    on_change_(what);
  });
}

std::string NetworkMonitor::Describe(const void* data, size_t length) {
  auto remaining = static_cast<unsigned int>(length);
  for (auto* h = static_cast<const nlmsghdr*>(data); NLMSG_OK(h, remaining); h = NLMSG_NEXT(h, remaining)) {
    std::string what;
    switch (h->nlmsg_type) {
      case RTM_NEWADDR:
      case RTM_DELADDR:
        if (h->nlmsg_len >= NLMSG_LENGTH(sizeof(ifaddrmsg))) what = DescribeAddress(h);
        break;
      case RTM_NEWLINK:
      case RTM_DELLINK:
        if (h->nlmsg_len >= NLMSG_LENGTH(sizeof(ifinfomsg))) what = DescribeLink(h);
        break;
      case RTM_NEWROUTE:
      case RTM_DELROUTE:
        if (h->nlmsg_len >= NLMSG_LENGTH(sizeof(rtmsg))) what = DescribeRoute(h);
        break;
      default:
        break;
    }
    if (!what.empty()) return what;
  }
  return "";
}

}  // namespace timd
