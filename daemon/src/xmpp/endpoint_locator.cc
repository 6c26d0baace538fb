#include "xmpp/endpoint_locator.h"

#include <spdlog/spdlog.h>

#include <optional>
#include <utility>

namespace timd::xmpp {
namespace {

std::string Join(const std::vector<std::string>& parts, size_t max_parts) {
  std::string out;
  for (size_t i = 0; i < parts.size() && i < max_parts; ++i) out += (i == 0 ? "" : "; ") + parts[i];
  if (parts.size() > max_parts) out += "; and " + std::to_string(parts.size() - max_parts) + " more";
  return out;
}

}  // namespace

std::string Endpoint::Describe() const {
  std::string where = target;
  if (!address.empty()) {
    where += address.find(':') != std::string::npos ? " [" + address + "]" : " " + address;
  }
  return where + ":" + std::to_string(port) + " (" + (direct_tls ? "direct TLS" : "STARTTLS") +
         (from_srv ? ", from SRV)" : ")");
}

EndpointLocator::EndpointLocator(uv_loop_t* loop, std::string domain, std::vector<std::string> dns_servers,
                                 uint16_t fallback_port, LocatorLimits limits)
    : loop_(loop),
      domain_(std::move(domain)),
      dns_servers_(std::move(dns_servers)),
      fallback_port_(fallback_port),
      limits_(limits),
      reply_timer_(loop) {}

EndpointLocator::~EndpointLocator() = default;

void EndpointLocator::Next(NextFn next) {
  next_ = std::move(next);
  switch (stage_) {
    case Stage::kStart: return LookUpServices();
    case Stage::kLookingUp: return;  // OnServices goes on
    case Stage::kTargets: return NextAddress();
    case Stage::kDone: return Reply(nullptr, finished_why_);
  }
}

void EndpointLocator::Failed(const std::string& why) { Note(current_.Describe() + ": " + why); }

void EndpointLocator::LookUpServices() {
  auto resolver = DnsResolver::Create(loop_, dns_servers_);
  if (!resolver.ok()) return Finish(resolver.status().message());
  resolver_ = std::move(resolver).value();
  stage_ = Stage::kLookingUp;
  answers_pending_ = 2;
  spdlog::info("XMPP: looking up the SRV records of {}", domain_);
  resolver_->QuerySrv("_xmpps-client._tcp." + domain_, [this](SrvAnswer answer) {
    direct_tls_answer_ = std::move(answer);
    if (--answers_pending_ == 0) OnServices();
  });
  resolver_->QuerySrv("_xmpp-client._tcp." + domain_, [this](SrvAnswer answer) {
    starttls_answer_ = std::move(answer);
    if (--answers_pending_ == 0) OnServices();
  });
}

void EndpointLocator::OnServices() {
  using Kind = SrvAnswer::Kind;
  const SrvAnswer* failed = direct_tls_answer_.kind == Kind::kFailed ? &direct_tls_answer_
                            : starttls_answer_.kind == Kind::kFailed ? &starttls_answer_
                                                                     : nullptr;
  const bool any_records = direct_tls_answer_.kind == Kind::kRecords || starttls_answer_.kind == Kind::kRecords;
  // Falling back to the domain is only right when DNS said "no records",
  // not when it could not answer.
  if (failed != nullptr && !any_records) {
    return Finish("the DNS lookup of the SRV records of " + domain_ + " failed: " + failed->error);
  }
  if (failed != nullptr) Note("one SRV lookup of " + domain_ + " failed (" + failed->error + "); using the other");
  SrvPlan plan = PlanSrvTargets(direct_tls_answer_.records, starttls_answer_.records, random_, limits_.srv);
  for (const std::string& rejected : plan.rejected) spdlog::warn("XMPP: SRV of {}: skipping {}", domain_, rejected);
  switch (plan.outcome) {
    case SrvPlan::Outcome::kServiceUnavailable:
      return Finish(domain_ + " has no XMPP service: its SRV records say it is decidedly not available (target \".\")");
    case SrvPlan::Outcome::kNoUsableRecords:
      return Finish(domain_ + " has SRV records but none is usable: " + Join(plan.rejected, 3));
    case SrvPlan::Outcome::kNoRecords:
      spdlog::info("XMPP: {} has no SRV records: trying {}:{}", domain_, domain_, fallback_port_);
      targets_ = {ServiceTarget{domain_, fallback_port_, false}};
      from_srv_ = false;
      break;
    case SrvPlan::Outcome::kTargets: {
      std::vector<std::string> listed;
      for (const ServiceTarget& t : plan.targets) {
        listed.push_back(t.host + ":" + std::to_string(t.port) + (t.direct_tls ? " direct TLS" : " STARTTLS"));
      }
      spdlog::info("XMPP: SRV targets of {} in order: {}", domain_, Join(listed, listed.size()));
      targets_ = std::move(plan.targets);
      from_srv_ = true;
      break;
    }
  }
  stage_ = Stage::kTargets;
  NextTarget();
}

void EndpointLocator::NextTarget() {
  if (next_target_ == targets_.size()) {
    return Finish("no server of " + domain_ + " could be reached: " + Join(failures_, limits_.max_attempts));
  }
  const ServiceTarget& target = targets_[next_target_++];
  current_ = Endpoint{target.host, {}, target.port, target.direct_tls, from_srv_};
  resolver_->ResolveHost(target.host, [this](AddressAnswer answer) {
    if (answer.addresses.empty()) {
      Note(current_.Describe() + ": cannot resolve " + current_.target + ": " + answer.error);
      return NextTarget();
    }
    if (answer.addresses.size() > limits_.max_addresses_per_target) {
      answer.addresses.resize(limits_.max_addresses_per_target);
    }
    addresses_ = std::move(answer.addresses);
    NextAddress();
  });
}

void EndpointLocator::NextAddress() {
  if (attempts_ == limits_.max_attempts) {
    return Finish("gave up on " + domain_ + " after " + std::to_string(attempts_) +
                  " endpoints: " + Join(failures_, limits_.max_attempts));
  }
  if (addresses_.empty()) return NextTarget();
  current_.address = addresses_.front();
  addresses_.erase(addresses_.begin());
  ++attempts_;
  Reply(&current_, {});
}

void EndpointLocator::Finish(const std::string& why) {
  stage_ = Stage::kDone;
  finished_why_ = why;
  resolver_.reset();
  Reply(nullptr, why);
}

void EndpointLocator::Reply(const Endpoint* endpoint, const std::string& why) {
  if (!next_) return;
  reply_timer_.Start(0, [this, endpoint = endpoint != nullptr ? std::optional<Endpoint>(*endpoint) : std::nullopt,
                         why] {
    NextFn next = std::exchange(next_, nullptr);
    next(endpoint ? &*endpoint : nullptr, why);
  });
}

void EndpointLocator::Note(const std::string& failure) {
  spdlog::warn("XMPP: {}", failure);
  failures_.push_back(failure);
}

}  // namespace timd::xmpp
