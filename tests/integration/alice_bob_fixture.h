// Two timd daemons logged in on a real Prosody: alice's and bob's (carol
// has an account and no daemon).
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "support/prosody_fixture.h"
#include "support/timd_process.h"

namespace timd::test {

class AliceBobFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    prosody_.Start();
    for (const char* user : {"alice", "bob", "carol"}) prosody_.AddUser(user, std::string(user) + "-pw");
    alice_.UseProsody(prosody_);
    alice_.LoginAs("alice", "alice-pw");
    bob_.UseProsody(prosody_);
    bob_.LoginAs("bob", "bob-pw");
    alice_.Start();
    bob_.Start();
    ASSERT_TRUE(alice_.WaitLoggedIn()) << alice_.log();
    ASSERT_TRUE(bob_.WaitLoggedIn()) << bob_.log();
  }

  ProsodyServer prosody_;
  TimdProcess alice_;
  TimdProcess bob_;
};

}  // namespace timd::test
