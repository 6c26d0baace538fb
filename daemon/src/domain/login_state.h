// What a domain service may ask of the login while it serves a call.
#pragma once

#include <string>

#include "common/status.h"
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

// Why a call that writes to the store cannot be accepted now (not logged
// in, or the store failing); OK when it can.
inline Status StoreWriteRefusal(const LoginState& login) {
  if (!login.logged_in()) return Status(Code::kFailedPrecondition, tim_err::kNotLoggedIn, "not logged in");
  if (!login.store_failure().empty()) {
    return Status(Code::kUnavailable, tim_err::kDatabaseFailure,
                  "the local store takes no writes (" + login.store_failure() + ")");
  }
  return Status::Ok();
}

}  // namespace timd::domain
