// timctl send's --location, --exclude-from-unread, --priority,
// --online-only and --need-read-receipt against a real Prosody and timd:
// what timd stored (--json), refusals with their TIM codes, and what bob's
// timd, started only afterwards, gets and counts.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "alice_timd_fixture.h"
#include "support/event_reader.h"
#include "support/message_sets.h"
#include "support/requests.h"

namespace timd::test {
namespace {

class TimctlMessageOptionsTest : public AliceTimdFixture {};

TEST_F(TimctlMessageOptionsTest, LocationExcludedFromUnreadAndPriority) {
  auto sent = Timctl({"send", "bob", "meet here", "--location", "48.8584,2.2945,Tour Eiffel, Paris",
                      "--exclude-from-unread", "--priority", "2", "--json"});
  ASSERT_EQ(sent.exit_code, 0) << sent.Describe() << timd_.log();
  const auto message = sent.JsonLines().at(0)["message"];
  ASSERT_EQ(message["elems"].size(), 2u) << sent.out;
  EXPECT_EQ(message["elems"][0]["text"]["content"], "meet here");
  EXPECT_EQ(message["elems"][1]["type"], "ELEM_LOCATION");
  EXPECT_DOUBLE_EQ(message["elems"][1]["location"]["latitude"].get<double>(), 48.8584);
  EXPECT_DOUBLE_EQ(message["elems"][1]["location"]["longitude"].get<double>(), 2.2945);
  EXPECT_EQ(message["elems"][1]["location"]["desc"], "Tour Eiffel, Paris");
  EXPECT_EQ(message["is_excluded_from_unread_count"], true);
  EXPECT_EQ(message["priority"], 1) << "not carried: Normal";

  auto alone = Timctl({"send", "bob", "--location", "-33.5,151", "--json"});
  ASSERT_EQ(alone.exit_code, 0) << alone.Describe();
  ASSERT_EQ(alone.JsonLines().at(0)["message"]["elems"].size(), 1u) << alone.out;

  auto malformed = Timctl({"send", "bob", "--location", "north,2"});
  EXPECT_EQ(malformed.exit_code, 1) << malformed.Describe();
  EXPECT_NE(malformed.err.find("LAT,LON[,DESC]"), std::string::npos) << malformed.err;

  auto off_earth = Timctl({"send", "bob", "--location", "91,0", "--json"});
  EXPECT_EQ(off_earth.exit_code, 3) << off_earth.Describe();
  EXPECT_EQ(off_earth.ErrorJson()["tim_code"], 6016) << off_earth.err;

  auto bad_priority = Timctl({"send", "bob", "hi", "--priority", "4", "--json"});
  EXPECT_EQ(bad_priority.exit_code, 3) << bad_priority.Describe();
  EXPECT_EQ(bad_priority.ErrorJson()["tim_code"], 6017) << bad_priority.err;
}

TEST_F(TimctlMessageOptionsTest, OnlineOnlyNeverReachesAnOfflinePeerAndExcludedDoesNotCount) {
  // bob is offline: his timd starts after the sends.
  auto kept = Timctl({"send", "bob", "kept for bob", "--id", "kept-1", "--json"});
  ASSERT_EQ(kept.exit_code, 0) << kept.Describe() << timd_.log();
  auto online = Timctl({"send", "bob", "only while online", "--online-only", "--id", "online-1", "--json"});
  ASSERT_EQ(online.exit_code, 0) << online.Describe() << timd_.log();
  EXPECT_EQ(online.JsonLines().at(0)["message"]["is_online_msg"], true) << online.out;
  auto excluded = Timctl({"send", "bob", "not counted", "--exclude-from-unread", "--need-read-receipt", "--id",
                          "excluded-1", "--json"});
  ASSERT_EQ(excluded.exit_code, 0) << excluded.Describe() << timd_.log();
  EXPECT_EQ(excluded.JsonLines().at(0)["message"]["is_excluded_from_unread_count"], true) << excluded.out;
  EXPECT_EQ(excluded.JsonLines().at(0)["message"]["need_read_receipt"], true) << excluded.out;
  auto last = Timctl({"send", "bob", "last one", "--id", "last-1", "--json"});
  ASSERT_EQ(last.exit_code, 0) << last.Describe();

  TimdProcess bob;
  bob.UseProsody(prosody_);
  bob.LoginAs("bob", "bobpw");
  bob.Start();
  ASSERT_TRUE(bob.WaitLoggedIn()) << bob.log();
  EventReader bob_events(bob.Channel(), FromStart());
  ASSERT_TRUE(bob_events.WaitFor(HasTextMessage("last one"), std::chrono::seconds(30))) << bob.log();
  std::this_thread::sleep_for(std::chrono::seconds(1));  // anything else the server kept has come by now
  std::vector<std::string> texts;
  for (const auto& m : History(bob, "alice")) texts.push_back(TextOf(m));
  std::sort(texts.begin(), texts.end());
  EXPECT_EQ(texts, (std::vector<std::string>{"kept for bob", "last one", "not counted"}))
      << "the server must not have kept the online-only message";

  TimctlRunner bob_timctl;
  auto convs = bob_timctl.Run({"--socket", bob.socket_path(), "convs", "--json"});
  ASSERT_EQ(convs.exit_code, 0) << convs.Describe();
  const auto conv = convs.JsonLines().at(0)["conversations"].at(0);
  EXPECT_EQ(conv["conv_id"], "alice") << convs.out;
  EXPECT_EQ(conv["unread_num"], "2") << "the excluded message does not count: " << convs.out;
}

}  // namespace
}  // namespace timd::test
