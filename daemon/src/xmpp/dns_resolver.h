// Asynchronous DNS on the libuv loop: c-ares, driven by one uv_poll_t per
// socket c-ares opens and one timer for its retries; no thread, no blocking
// call. Answers SRV queries and host-name lookups (AAAA and A).
#pragma once

#include <uv.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/status.h"
#include "xmpp/srv_order.h"

namespace timd::xmpp {

struct SrvAnswer {
  enum class Kind { kRecords, kNoRecords, kFailed };
  Kind kind = Kind::kFailed;
  std::vector<SrvRecord> records;
  std::string error;  // kFailed: why (timeout, refused, ...)
};

struct AddressAnswer {
  std::vector<std::string> addresses;  // numeric, IPv6 and IPv4 alternating
  std::string error;                   // when empty-handed: why
};

class DnsResolver {
 public:
  // `servers`: "IP", "IP:PORT" or "[IPv6]:PORT" entries, asked instead of
  // the system's resolver configuration (/etc/resolv.conf) when not empty.
  static Result<std::unique_ptr<DnsResolver>> Create(uv_loop_t* loop, const std::vector<std::string>& servers);
  ~DnsResolver();  // pending queries end without callbacks
  DnsResolver(const DnsResolver&) = delete;
  DnsResolver& operator=(const DnsResolver&) = delete;

  // Callbacks run on a later loop turn, never inside these calls, and never
  // after the resolver is destroyed.
  void QuerySrv(const std::string& name, std::function<void(SrvAnswer)> done);
  void ResolveHost(const std::string& host, std::function<void(AddressAnswer)> done);

 private:
  struct Impl;
  explicit DnsResolver(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace timd::xmpp
