// Finds the server of an XMPP domain, one endpoint at a time (RFC 6120
// §3.2, XEP-0368): asks for the _xmpps-client and _xmpp-client SRV records,
// orders them with PlanSrvTargets, resolves each target's addresses only
// when its turn comes, and falls back to DOMAIN:5222 only when no SRV
// record exists. Every step is bounded and every failure is logged.
#pragma once

#include <uv.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "common/timer.h"
#include "xmpp/dns_resolver.h"
#include "xmpp/srv_order.h"

namespace timd::xmpp {

// Where one connection attempt goes.
struct Endpoint {
  std::string target;   // host name: the SRV target, the domain, or the configured host
  std::string address;  // numeric IP address; empty until known
  uint16_t port = 0;
  bool direct_tls = false;
  bool from_srv = false;

  // e.g. "xmpp.example.org [2001:db8::1]:5223 (direct TLS, from SRV)"
  std::string Describe() const;
};

struct LocatorLimits {
  SrvLimits srv;
  size_t max_addresses_per_target = 4;
  size_t max_attempts = 12;  // endpoints handed out per connection attempt
};

class EndpointLocator {
 public:
  // `dns_servers` as for DnsResolver::Create.
  EndpointLocator(uv_loop_t* loop, std::string domain, std::vector<std::string> dns_servers,
                  uint16_t fallback_port = 5222, LocatorLimits limits = {});
  ~EndpointLocator();
  EndpointLocator(const EndpointLocator&) = delete;
  EndpointLocator& operator=(const EndpointLocator&) = delete;

  // The next endpoint to try (`endpoint` set), or none left (`endpoint`
  // null, `why` says what was tried and why each failed, or why DNS says
  // there is no service). Runs on a later loop turn, never after the
  // locator is destroyed.
  using NextFn = std::function<void(const Endpoint* endpoint, const std::string& why)>;
  void Next(NextFn next);
  // The endpoint last handed out could not be used, for `why`.
  void Failed(const std::string& why);

 private:
  void LookUpServices();
  void OnServices();
  void NextTarget();
  void NextAddress();
  void Finish(const std::string& why);
  void Reply(const Endpoint* endpoint, const std::string& why);
  void Note(const std::string& failure);

  uv_loop_t* loop_;
  std::string domain_;
  std::vector<std::string> dns_servers_;
  uint16_t fallback_port_;
  LocatorLimits limits_;
  std::unique_ptr<DnsResolver> resolver_;
  NextFn next_;
  Timer reply_timer_;  // replies on a later loop turn

  enum class Stage { kStart, kLookingUp, kTargets, kDone };
  Stage stage_ = Stage::kStart;
  SrvAnswer direct_tls_answer_;
  SrvAnswer starttls_answer_;
  int answers_pending_ = 0;
  std::vector<ServiceTarget> targets_;
  bool from_srv_ = false;
  size_t next_target_ = 0;
  Endpoint current_;                 // target being worked through
  std::vector<std::string> addresses_;  // its addresses not yet handed out
  size_t attempts_ = 0;
  std::vector<std::string> failures_;
  std::string finished_why_;
  std::mt19937_64 random_{std::random_device{}()};
};

}  // namespace timd::xmpp
