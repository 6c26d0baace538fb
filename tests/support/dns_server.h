#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "support/child_process.h"
#include "support/temp_dir.h"

namespace timd::test {

// A private DNS server for one test: dnsmasq on a loopback address of its
// own (127.x.y.z, port 53, so it also works as a resolv.conf nameserver),
// answering only the records the test adds; other names under .test get
// NXDOMAIN. Failures throw std::runtime_error.
class DnsServer {
 public:
  DnsServer();
  ~DnsServer();
  DnsServer(const DnsServer&) = delete;
  DnsServer& operator=(const DnsServer&) = delete;

  // Call before Start().
  void AddAddress(const std::string& name, const std::string& ip);  // IPv4 or IPv6; repeatable
  // SRV `service` (e.g. "_xmpp-client._tcp.srv.test") -> target:port.
  void AddSrv(const std::string& service, const std::string& target, uint16_t port, uint16_t priority,
              uint16_t weight = 0);
  // SRV `service` whose target is "." (service decidedly not available).
  void AddNoService(const std::string& service);

  // Picks a free 127.x.y.z:53, starts dnsmasq and waits until it listens.
  void Start();
  const std::string& address() const { return address_; }
  std::string LogTail() const;

 private:
  TempDir dir_;
  std::vector<std::string> records_;  // dnsmasq options
  std::string address_;
  ChildProcess process_;
};

// A free loopback address of its own, e.g. for a server on a well-known
// port: 127.x.y.z with nothing bound to `port` on it (UDP and TCP).
std::string FreeLoopbackAddress(uint16_t port);

}  // namespace timd::test
