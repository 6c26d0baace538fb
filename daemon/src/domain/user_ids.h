// TIM user IDs <-> bare JIDs. An ID without '@' is a local part on the
// login's own domain; with '@' it is a bare JID. IDs of the own domain are
// returned as the local part alone, so apps that use plain user IDs work.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"

namespace timd::domain {

class UserIds {
 public:
  explicit UserIds(std::string own_domain) : own_domain_(std::move(own_domain)) {}

  void set_own_domain(std::string domain) { own_domain_ = std::move(domain); }
  const std::string& own_domain() const { return own_domain_; }

  // Canonical (lower-case) bare JID, or INVALID_ARGUMENT (TIM 7003) for an
  // empty ID, a resource, a leading '@' or stray separators.
  Result<std::string> ToJid(std::string_view user_id) const;
  // Short form of a bare JID.
  std::string ToUserId(std::string_view bare_jid) const;

 private:
  std::string own_domain_;
};

}  // namespace timd::domain
