#include "common/listen_address.h"

#include <arpa/inet.h>

namespace timd {
namespace {

constexpr const char* kListenWhat = "api tcp_listen";
constexpr const char* kDnsWhat = "xmpp dns_servers";

Status InvalidAddress(const char* what, const std::string& address, const std::string& why) {
  return Status(Code::kInvalidArgument, tim_err::kInvalidParameters,
                std::string(what) + " \"" + address + "\": " + why);
}

bool IsIpAddress(const std::string& host) {
  in_addr v4{};
  in6_addr v6{};
  return inet_pton(AF_INET, host.c_str(), &v4) == 1 || inet_pton(AF_INET6, host.c_str(), &v6) == 1;
}

bool IsLoopbackHost(const std::string& host) {
  if (host == "localhost") return true;
  in_addr v4{};
  if (inet_pton(AF_INET, host.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6{};
  return inet_pton(AF_INET6, host.c_str(), &v6) == 1 && IN6_IS_ADDR_LOOPBACK(&v6);
}

// Splits HOST:PORT; an empty host means a malformed address.
Status SplitAddress(const char* what, const std::string& address, std::string& host) {
  std::string port;
  if (address.starts_with('[')) {
    auto close = address.find("]:");
    if (close == std::string::npos) return InvalidAddress(what, address, "expected [HOST]:PORT");
    host = address.substr(1, close - 1);
    port = address.substr(close + 2);
  } else {
    auto colon = address.rfind(':');
    if (colon == std::string::npos) return InvalidAddress(what, address, "expected HOST:PORT");
    host = address.substr(0, colon);
    port = address.substr(colon + 1);
  }
  if (host.empty()) return InvalidAddress(what, address, "empty host");
  if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos ||
      std::stoi(port) > 65535) {
    return InvalidAddress(what, address, "invalid port");
  }
  return Status::Ok();
}

}  // namespace

Status ValidateListenAddress(const std::string& address) {
  std::string host;
  return SplitAddress(kListenWhat, address, host);
}

Status ValidateLoopbackAddress(const std::string& address) {
  std::string host;
  if (Status split = SplitAddress(kListenWhat, address, host); !split.ok()) return split;
  if (!IsLoopbackHost(host)) {
    return InvalidAddress(kListenWhat, address, "only loopback addresses are allowed unless [api] tls_cert and tls_key are set");
  }
  return Status::Ok();
}

Status ValidateDnsServerAddress(const std::string& address) {
  if (IsIpAddress(address)) return Status::Ok();
  if (address.find(':') == std::string::npos) {
    return InvalidAddress(kDnsWhat, address, "expected an IP address, not a host name");
  }
  std::string host;
  if (Status split = SplitAddress(kDnsWhat, address, host); !split.ok()) return split;
  if (!IsIpAddress(host)) return InvalidAddress(kDnsWhat, address, "expected an IP address, not a host name");
  if (host.find(':') != std::string::npos && !address.starts_with('[')) {
    return InvalidAddress(kDnsWhat, address, "write an IPv6 address with a port as [ADDRESS]:PORT");
  }
  return Status::Ok();
}

}  // namespace timd
