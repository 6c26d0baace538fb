// The fixture the client-library app tests share: a real Prosody with alice
// and bob, alice's timd (configured, not started) logging in as alice, and
// the apps' password files.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/app_process.h"
#include "support/message_sets.h"
#include "support/prosody_fixture.h"
#include "support/requests.h"
#include "support/temp_dir.h"
#include "support/timd_process.h"

namespace timd::test {

class AliceFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    prosody_.Start();
    prosody_.AddUser("alice", "alice-secret");
    prosody_.AddUser("bob", "bob-secret");
    WriteFile(secrets_.File("alice"), "alice-secret\n");
    WriteFile(secrets_.File("bob"), "bob-secret\n");
    alice_.UseProsody(prosody_);
    alice_.LoginAs("alice", "alice-secret");
  }

  // Common options of an app logged in as alice through alice_'s timd.
  std::vector<std::string> AliceArgs(const std::string& consumer) const {
    return {"--socket", alice_.socket_path(), "--consumer", consumer, "--user", "alice", "--sig-file",
            secrets_.File("alice")};
  }

  // Starts `bob` (bob's timd) and alice_, both logged in.
  void StartWithBob(TimdProcess& bob) {
    bob.UseProsody(prosody_);
    bob.LoginAs("bob", "bob-secret");
    bob.Start();
    alice_.Start();
    ASSERT_TRUE(alice_.WaitLoggedIn()) << alice_.log();
    ASSERT_TRUE(bob.WaitLoggedIn()) << bob.log();
  }

  // A consumer never seen before starts live, once its subscription is in
  // place, which an app cannot observe: it could miss what its own first
  // calls cause. A cursor stored first makes it replay from there instead.
  void StoreAppCursor(const std::string& consumer) {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    tim::v1::AckEventsRequest ack;
    ack.set_consumer(consumer);
    ack.set_seq(1);
    tim::v1::AckEventsResponse acked;
    ASSERT_TRUE(alice_.Stubs()->events->AckEvents(&ctx, ack, &acked).ok()) << alice_.log();
  }

  // alice sends `text` to bob.
  void Send(const std::string& text) {
    auto status = SendText(*alice_.Stubs(), "bob", text);
    ASSERT_TRUE(status.ok()) << status.error_message() << "\n" << alice_.log();
  }

  // The JSON after "<prefix> " on the app's first line starting so; null when none.
  static nlohmann::json LineJson(const AppProcess& app, const std::string& prefix) {
    for (const auto& line : Lines(app.output())) {
      if (line.rfind(prefix + " ", 0) == 0) return nlohmann::json::parse(line.substr(prefix.size() + 1), nullptr, false);
    }
    return nullptr;
  }
  // The code on the app's "<call> <code> ..." line; -1 when none.
  static int CodeOf(const AppProcess& app, const std::string& call) {
    for (const auto& line : Lines(app.output())) {
      if (line.rfind(call + " ", 0) == 0) return std::stoi(line.substr(call.size() + 1));
    }
    return -1;
  }

  ProsodyServer prosody_;
  TempDir secrets_{"timd-client-secrets"};
  TempDir work_{"timd-client-work"};
  TimdProcess alice_;
};

}  // namespace timd::test
