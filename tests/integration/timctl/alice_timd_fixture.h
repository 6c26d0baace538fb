// The fixture the timctl command tests share: a real Prosody with alice and
// bob, alice's timd logged in, and timctl run against its socket.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/prosody_fixture.h"
#include "support/timd_process.h"
#include "timctl_runner.h"

namespace timd::test {

class AliceTimdFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    prosody_.Start();
    prosody_.AddUser("alice", "alicepw");
    prosody_.AddUser("bob", "bobpw");
    timd_.UseProsody(prosody_);
    timd_.LoginAs("alice", "alicepw");
    timd_.Start();
    ASSERT_TRUE(timd_.WaitLoggedIn()) << timd_.log();
  }

  TimctlResult Timctl(std::vector<std::string> args) {
    args.insert(args.begin(), {"--socket", timd_.socket_path()});
    return runner_.Run(args);
  }

  ProsodyServer prosody_;
  TimdProcess timd_;
  TimctlRunner runner_;
};

}  // namespace timd::test
