// What the API may ask of the login (tim.v1.Session, TIMManager.h). Every
// method runs on the loop thread.
#pragma once

#include "domain/done.h"
#include "tim/v1/session.pb.h"

namespace timd::domain {

class SessionCalls {
 public:
  virtual ~SessionCalls() = default;
  virtual void Login(const tim::v1::LoginRequest& request, Done<tim::v1::LoginResponse> done) = 0;
  virtual void Logout(Done<tim::v1::LogoutResponse> done) = 0;
  virtual tim::v1::GetLoginStatusResponse GetLoginStatus() = 0;
};

}  // namespace timd::domain
