#include <gtest/gtest.h>

#include "service/systemd_notifier.h"

namespace timd::service {
namespace {

tim::v1::GetLoginStatusResponse Status(tim::v1::LoginStatus login, const std::string& user, const std::string& desc) {
  tim::v1::GetLoginStatusResponse status;
  status.set_status(login);
  status.set_user_id(user);
  status.set_network_desc(desc);
  return status;
}

TEST(LoginStatusTextTest, NamesTheStateTheUserAndTheNetwork) {
  EXPECT_EQ(LoginStatusText(Status(tim::v1::LOGINED, "alice", "connected; caught up 3 archived messages")),
            "logged in as alice: connected; caught up 3 archived messages");
  EXPECT_EQ(LoginStatusText(Status(tim::v1::LOGINING, "alice", "connecting to xmpp.example.org")),
            "logging in as alice: connecting to xmpp.example.org");
  EXPECT_EQ(LoginStatusText(Status(tim::v1::LOGOUTING, "alice", "")), "logging out alice");
  EXPECT_EQ(LoginStatusText(Status(tim::v1::UNLOGINED, "", "")), "not logged in");
  EXPECT_EQ(LoginStatusText(Status(tim::v1::UNLOGINED, "", "not-authorized")), "not logged in: not-authorized");
}

TEST(LoginStatusTextTest, StaysOneLine) {
  // A newline would end the STATUS= assignment and start a forged one.
  EXPECT_EQ(LoginStatusText(Status(tim::v1::LOGINING, "bob", "refused\nREADY=1")),
            "logging in as bob: refused READY=1");
}

}  // namespace
}  // namespace timd::service
