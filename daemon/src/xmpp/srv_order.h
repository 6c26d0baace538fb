// Where to connect, from the SRV answers for an XMPP domain (RFC 6120 §3.2,
// RFC 2782, XEP-0368): pure selection logic, no I/O, so it is unit-tested
// on its own. The DNS side lives in dns_resolver.h, the attempts in
// endpoint_locator.h.
#pragma once

#include <cstddef>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace timd::xmpp {

struct SrvRecord {
  std::string target;  // host name; "" or "." is the root ("service not available")
  uint16_t port = 0;
  uint16_t priority = 0;
  uint16_t weight = 0;
};

// One host to try, in order, with the TLS mode its service implies.
struct ServiceTarget {
  std::string host;
  uint16_t port = 0;
  bool direct_tls = false;  // from _xmpps-client (XEP-0368), else STARTTLS

  bool operator==(const ServiceTarget&) const = default;
};

struct SrvPlan {
  enum class Outcome {
    kTargets,             // try `targets` in order
    kNoRecords,           // neither service has records: fall back to DOMAIN:5222
    kServiceUnavailable,  // a "." target and nothing usable: no fallback (RFC 2782, XEP-0368)
    kNoUsableRecords,     // records exist but none is usable (port 0, bad names)
  };
  Outcome outcome = Outcome::kNoRecords;
  std::vector<ServiceTarget> targets;
  std::vector<std::string> rejected;  // why records were skipped, for the log
};

// Bounds against hostile or broken DNS answers (thousands of records).
struct SrvLimits {
  size_t max_records_per_service = 256;  // lowest priority values kept
  size_t max_targets = 8;                // targets returned, after ordering
};

// Orders both services' records as one set (XEP-0368: priorities and
// weights mixed): ascending priority, then RFC 2782's weighted random
// selection within each priority. Duplicates are tried once.
SrvPlan PlanSrvTargets(const std::vector<SrvRecord>& direct_tls, const std::vector<SrvRecord>& starttls,
                       std::mt19937_64& random, const SrvLimits& limits = {});

}  // namespace timd::xmpp
