#include "common/network_monitor.h"

#include <gtest/gtest.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <sys/socket.h>

#include <cstring>
#include <vector>

namespace timd {
namespace {

// One netlink datagram holding the given messages, each `type` + payload.
class Datagram {
 public:
  template <typename Payload>
  Datagram& Add(uint16_t type, const Payload& payload) {
    const size_t offset = bytes_.size();
    bytes_.resize(offset + NLMSG_SPACE(sizeof(Payload)));
    auto* h = reinterpret_cast<nlmsghdr*>(bytes_.data() + offset);
    h->nlmsg_len = NLMSG_LENGTH(sizeof(Payload));
    h->nlmsg_type = type;
    std::memcpy(NLMSG_DATA(h), &payload, sizeof(Payload));
    return *this;
  }
  std::string Describe() const { return NetworkMonitor::Describe(bytes_.data(), bytes_.size()); }

 private:
  std::vector<char> bytes_;
};

ifaddrmsg Address(int family, unsigned char scope) {
  ifaddrmsg a{};
  a.ifa_family = static_cast<unsigned char>(family);
  a.ifa_scope = scope;
  a.ifa_index = 3;
  return a;
}

ifinfomsg Link(unsigned flags, unsigned change) {
  ifinfomsg l{};
  l.ifi_index = 2;
  l.ifi_flags = flags;
  l.ifi_change = change;
  return l;
}

rtmsg Route(unsigned char dst_len, unsigned char table = RT_TABLE_MAIN) {
  rtmsg r{};
  r.rtm_dst_len = dst_len;
  r.rtm_table = table;
  return r;
}

TEST(NetworkMonitorTest, GlobalAddressesCount) {
  EXPECT_EQ(Datagram().Add(RTM_NEWADDR, Address(AF_INET, RT_SCOPE_UNIVERSE)).Describe(),
            "IPv4 address added on interface 3");
  EXPECT_EQ(Datagram().Add(RTM_DELADDR, Address(AF_INET6, RT_SCOPE_UNIVERSE)).Describe(),
            "IPv6 address removed on interface 3");
}

TEST(NetworkMonitorTest, LoopbackAndLinkLocalAddressesDoNot) {
  EXPECT_EQ(Datagram().Add(RTM_NEWADDR, Address(AF_INET, RT_SCOPE_HOST)).Describe(), "");
  EXPECT_EQ(Datagram().Add(RTM_NEWADDR, Address(AF_INET6, RT_SCOPE_LINK)).Describe(), "");
}

TEST(NetworkMonitorTest, LinkStateChangesCountStatisticsDoNot) {
  EXPECT_EQ(Datagram().Add(RTM_NEWLINK, Link(IFF_UP | IFF_RUNNING, IFF_RUNNING)).Describe(), "interface 2 up");
  EXPECT_EQ(Datagram().Add(RTM_NEWLINK, Link(IFF_UP, IFF_RUNNING)).Describe(), "interface 2 down");
  EXPECT_EQ(Datagram().Add(RTM_DELLINK, Link(0, 0)).Describe(), "interface 2 down");
  EXPECT_EQ(Datagram().Add(RTM_NEWLINK, Link(IFF_UP | IFF_RUNNING, 0)).Describe(), "");
  EXPECT_EQ(Datagram().Add(RTM_NEWLINK, Link(IFF_UP | IFF_LOOPBACK, IFF_UP)).Describe(), "");
}

TEST(NetworkMonitorTest, OnlyDefaultRoutesOfTheMainTableCount) {
  EXPECT_EQ(Datagram().Add(RTM_NEWROUTE, Route(0)).Describe(), "default route added");
  EXPECT_EQ(Datagram().Add(RTM_DELROUTE, Route(0)).Describe(), "default route removed");
  EXPECT_EQ(Datagram().Add(RTM_NEWROUTE, Route(24)).Describe(), "");
  EXPECT_EQ(Datagram().Add(RTM_NEWROUTE, Route(0, RT_TABLE_LOCAL)).Describe(), "");
}

TEST(NetworkMonitorTest, FirstRelevantMessageOfADatagramWins) {
  EXPECT_EQ(Datagram()
                .Add(RTM_NEWROUTE, Route(32))
                .Add(RTM_NEWADDR, Address(AF_INET6, RT_SCOPE_LINK))
                .Add(RTM_NEWROUTE, Route(0))
                .Describe(),
            "default route added");
}

TEST(NetworkMonitorTest, TruncatedAndForeignDataIsIgnored) {
  std::vector<char> garbage(7, '\xff');
  EXPECT_EQ(NetworkMonitor::Describe(garbage.data(), garbage.size()), "");
  EXPECT_EQ(NetworkMonitor::Describe(nullptr, 0), "");
  // A header that claims a payload shorter than the message type needs.
  nlmsghdr short_header{};
  short_header.nlmsg_len = NLMSG_LENGTH(1);
  short_header.nlmsg_type = RTM_NEWADDR;
  EXPECT_EQ(NetworkMonitor::Describe(&short_header, sizeof short_header), "");
  EXPECT_EQ(Datagram().Add(NLMSG_DONE, 0).Describe(), "");
}

}  // namespace
}  // namespace timd
