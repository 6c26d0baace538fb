// What a domain service may ask of the login while it serves a call.
#pragma once

#include <string>

#include "domain/user_ids.h"

namespace timd::domain {

class LoginState {
 public:
  virtual ~LoginState() = default;
  // A login is held (logged in, logging in or reconnecting): calls that
  // need the server are accepted (and may wait for the connection).
  virtual bool logged_in() const = 0;
  // Why the local store takes no writes; empty while it works.
  virtual const std::string& store_failure() const = 0;
  // User ID <-> JID for the login's domain.
  virtual const UserIds& ids() const = 0;
};

}  // namespace timd::domain
