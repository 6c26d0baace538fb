#include "support/dns_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <random>
#include <stdexcept>
#include <thread>

namespace timd::test {
namespace {

constexpr uint16_t kDnsPort = 53;
constexpr auto kStartTimeout = std::chrono::seconds(5);

// Whether `ip`:`port` can be bound with `type` (SOCK_DGRAM or SOCK_STREAM);
// `in_use` tells EADDRINUSE from other failures.
bool CanBind(const std::string& ip, uint16_t port, int type, bool* in_use = nullptr) {
  int fd = ::socket(AF_INET, type | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  inet_pton(AF_INET, ip.c_str(), &addr.sin_addr);
  const bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  if (in_use != nullptr) *in_use = !ok && errno == EADDRINUSE;
  ::close(fd);
  return ok;
}

}  // namespace

std::string FreeLoopbackAddress(uint16_t port) {
  std::mt19937 random(std::random_device{}());
  std::uniform_int_distribution<int> octet(1, 254);
  for (int attempt = 0; attempt < 50; ++attempt) {
    std::string ip = "127." + std::to_string(octet(random)) + "." + std::to_string(octet(random)) + "." +
                     std::to_string(octet(random));
    if (ip == "127.0.0.1") continue;
    if (CanBind(ip, port, SOCK_DGRAM) && CanBind(ip, port, SOCK_STREAM)) return ip;
  }
  throw std::runtime_error("no free loopback address for port " + std::to_string(port) +
                           " (binding port 53 needs root)");
}

DnsServer::DnsServer() : dir_("timd-dns") {}

DnsServer::~DnsServer() { process_.Kill9(); }

void DnsServer::AddAddress(const std::string& name, const std::string& ip) {
  records_.push_back("--host-record=" + name + "," + ip);
}

void DnsServer::AddSrv(const std::string& service, const std::string& target, uint16_t port, uint16_t priority,
                       uint16_t weight) {
  records_.push_back("--srv-host=" + service + "," + target + "," + std::to_string(port) + "," +
                     std::to_string(priority) + "," + std::to_string(weight));
}

void DnsServer::AddNoService(const std::string& service) { records_.push_back("--srv-host=" + service); }

std::string DnsServer::LogTail() const { return FileTail(dir_.File("dnsmasq.log")); }

void DnsServer::Start() {
  for (int attempt = 0; attempt < 3; ++attempt) {
    address_ = FreeLoopbackAddress(kDnsPort);
    std::vector<std::string> argv = {"dnsmasq", "--keep-in-foreground", "--conf-file=/dev/null",
                                     "--listen-address=" + address_, "--port=53", "--bind-interfaces",
                                     "--no-resolv", "--no-hosts", "--pid-file=", "--user=root",
                                     "--local=/test/", "--log-queries", "--log-facility=-"};
    argv.insert(argv.end(), records_.begin(), records_.end());
    process_.Spawn(argv, dir_.File("dnsmasq.log"));
    const auto deadline = std::chrono::steady_clock::now() + kStartTimeout;
    while (std::chrono::steady_clock::now() < deadline) {
      if (auto status = process_.TryWait()) break;  // lost the address to someone else, or a bad option
      bool in_use = false;
      if (!CanBind(address_, kDnsPort, SOCK_DGRAM, &in_use) && in_use) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    process_.Kill9();
  }
  throw std::runtime_error("dnsmasq did not start:\n" + LogTail());
}

}  // namespace timd::test
