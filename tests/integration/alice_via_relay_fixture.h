// bob's timd on Prosody directly, alice's through a TcpRelay that can fail
// like a network (Cut, BlackHole, Resume); both logged in.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "support/prosody_fixture.h"
#include "support/tcp_relay.h"
#include "support/timd_process.h"

namespace timd::test {

class AliceViaRelayFixture : public ::testing::Test {
 protected:
  // Further flags for alice's timd (e.g. a faster reconnect).
  virtual std::vector<std::string> AliceArgs() const { return {}; }

  void SetUp() override {
    prosody_.Start();
    prosody_.AddUser("alice", "alice-pw");
    prosody_.AddUser("bob", "bob-pw");
    relay_ = std::make_unique<TcpRelay>(prosody_.c2s_port());
    bob_.UseProsody(prosody_);
    bob_.LoginAs("bob", "bob-pw");
    bob_.Start();
    ASSERT_TRUE(bob_.WaitLoggedIn()) << bob_.log();
    alice_.UseProsodyVia(prosody_, relay_->port());
    alice_.LoginAs("alice", "alice-pw");
    alice_.AddArgs(AliceArgs());
    alice_.Start();
    ASSERT_TRUE(alice_.WaitLoggedIn()) << alice_.log();
  }

  ProsodyServer prosody_;
  std::unique_ptr<TcpRelay> relay_;
  TimdProcess bob_;
  TimdProcess alice_;
};

}  // namespace timd::test
