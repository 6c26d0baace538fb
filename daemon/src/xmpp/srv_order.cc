#include "xmpp/srv_order.h"

#include <algorithm>
#include <cctype>
#include <cstddef>

namespace timd::xmpp {
namespace {

struct Candidate {
  SrvRecord record;
  bool direct_tls;
};

bool IsRoot(const std::string& target) { return target.empty() || target == "."; }

// A DNS host name (RFC 1035 lengths; letters, digits, '-', '_'), lower-cased
// and without the trailing dot; empty when it is not one.
std::string NormalHostName(std::string name) {
  if (!name.empty() && name.back() == '.') name.pop_back();
  if (name.empty() || name.size() > 253) return {};
  size_t label = 0;
  for (char& c : name) {
    if (c == '.') {
      if (label == 0) return {};
      label = 0;
      continue;
    }
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') return {};
    if (++label > 63) return {};
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return label == 0 ? std::string() : name;
}

std::string Describe(const SrvRecord& record, bool direct_tls) {
  return std::string(direct_tls ? "_xmpps-client" : "_xmpp-client") + " record " + record.target + ":" +
         std::to_string(record.port);
}

// Adds the usable records of one service to `out`. A lone "." record says
// the service is not offered (RFC 2782): noted in `saw_root`.
void Collect(std::vector<SrvRecord> records, bool direct_tls, const SrvLimits& limits, std::vector<Candidate>& out,
             SrvPlan& plan, bool& saw_root) {
  if (records.size() == 1 && IsRoot(records[0].target)) {
    saw_root = true;
    return;
  }
  std::stable_sort(records.begin(), records.end(),
                   [](const SrvRecord& a, const SrvRecord& b) { return a.priority < b.priority; });
  if (records.size() > limits.max_records_per_service) {
    plan.rejected.push_back(std::to_string(records.size() - limits.max_records_per_service) + " " +
                            (direct_tls ? "_xmpps-client" : "_xmpp-client") + " records beyond the first " +
                            std::to_string(limits.max_records_per_service));
    records.resize(limits.max_records_per_service);
  }
  for (SrvRecord& record : records) {
    std::string host = NormalHostName(record.target);
    if (host.empty()) {
      plan.rejected.push_back(Describe(record, direct_tls) + ": not a host name");
    } else if (record.port == 0) {
      plan.rejected.push_back(Describe(record, direct_tls) + ": port 0");
    } else {
      record.target = std::move(host);
      out.push_back({std::move(record), direct_tls});
    }
  }
}

// RFC 2782's selection within one priority: zero weights first, then pick
// by a random point on the running sum of weights, remove, repeat.
std::vector<Candidate> WeightedOrder(std::vector<Candidate> group, std::mt19937_64& random) {
  std::stable_partition(group.begin(), group.end(), [](const Candidate& c) { return c.record.weight == 0; });
  std::vector<Candidate> ordered;
  while (!group.empty()) {
    uint64_t total = 0;
    for (const Candidate& c : group) total += c.record.weight;
    const uint64_t point = std::uniform_int_distribution<uint64_t>(0, total)(random);
    uint64_t running = 0;
    size_t pick = 0;
    for (; pick + 1 < group.size(); ++pick) {
      running += group[pick].record.weight;
      if (running >= point) break;
    }
    ordered.push_back(std::move(group[pick]));
    group.erase(group.begin() + static_cast<std::ptrdiff_t>(pick));
  }
  return ordered;
}

}  // namespace

SrvPlan PlanSrvTargets(const std::vector<SrvRecord>& direct_tls, const std::vector<SrvRecord>& starttls,
                       std::mt19937_64& random, const SrvLimits& limits) {
  SrvPlan plan;
  bool saw_root = false;
  std::vector<Candidate> candidates;
  Collect(direct_tls, true, limits, candidates, plan, saw_root);
  Collect(starttls, false, limits, candidates, plan, saw_root);
  if (candidates.empty()) {
    if (saw_root) {
      plan.outcome = SrvPlan::Outcome::kServiceUnavailable;
    } else if (direct_tls.empty() && starttls.empty()) {
      plan.outcome = SrvPlan::Outcome::kNoRecords;
    } else {
      plan.outcome = SrvPlan::Outcome::kNoUsableRecords;
    }
    return plan;
  }
  plan.outcome = SrvPlan::Outcome::kTargets;
  std::stable_sort(candidates.begin(), candidates.end(),
                   [](const Candidate& a, const Candidate& b) { return a.record.priority < b.record.priority; });
  for (size_t begin = 0; begin < candidates.size() && plan.targets.size() < limits.max_targets;) {
    size_t end = begin;
    while (end < candidates.size() && candidates[end].record.priority == candidates[begin].record.priority) ++end;
    std::vector<Candidate> group(candidates.begin() + static_cast<std::ptrdiff_t>(begin),
                                 candidates.begin() + static_cast<std::ptrdiff_t>(end));
    for (Candidate& c : WeightedOrder(std::move(group), random)) {
      ServiceTarget target{std::move(c.record.target), c.record.port, c.direct_tls};
      if (std::find(plan.targets.begin(), plan.targets.end(), target) != plan.targets.end()) continue;
      if (plan.targets.size() == limits.max_targets) break;
      plan.targets.push_back(std::move(target));
    }
    begin = end;
  }
  return plan;
}

}  // namespace timd::xmpp
