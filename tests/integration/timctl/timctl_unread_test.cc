// timctl's unread-count commands against a real Prosody, alice's timd and
// bob's timd sending to her: unread with and without a filter (human and
// --json), mark-all-read, and the TOTAL_UNREAD_CHANGED events as tail
// prints them.
#include <gtest/gtest.h>

#include "alice_timd_fixture.h"
#include "support/app_process.h"
#include "support/requests.h"

namespace timd::test {
namespace {

class TimctlUnreadTest : public AliceTimdFixture {
 protected:
  // Bob's daemon sends alice one message.
  void BobSends(const std::string& text) {
    if (!bob_.running()) {
      bob_.UseProsody(prosody_);
      bob_.LoginAs("bob", "bobpw");
      bob_.Start();
      ASSERT_TRUE(bob_.WaitLoggedIn()) << bob_.log();
    }
    auto status = SendText(*bob_.Stubs(), "alice", text);
    ASSERT_TRUE(status.ok()) << status.error_message() << bob_.log();
  }

  TimdProcess bob_;
};

TEST_F(TimctlUnreadTest, UnreadByFilterMarkAllReadAndTotalEvents) {
  BobSends("one unread");
  ASSERT_TRUE(Eventually([&] { return Timctl({"unread"}).out == "1\n"; })) << timd_.log();

  auto c2c = Timctl({"unread", "--type", "1", "--json"});
  ASSERT_EQ(c2c.exit_code, 0) << c2c.Describe();
  EXPECT_EQ(c2c.JsonLines().at(0)["unread_count"], "1");  // uint64 as a JSON string (proto3 JSON)
  EXPECT_EQ(Timctl({"unread", "--has-unread"}).out, "1\n");
  EXPECT_EQ(Timctl({"unread", "--mark", "1"}).out, "0\n");  // not starred
  EXPECT_EQ(Timctl({"unread", "--type", "3"}).exit_code, 1);  // not a conversation type

  auto marked = Timctl({"mark-all-read"});
  ASSERT_EQ(marked.exit_code, 0) << marked.Describe();
  EXPECT_EQ(marked.out, "read\n");
  EXPECT_EQ(Timctl({"unread"}).out, "0\n");
  EXPECT_EQ(Timctl({"unread", "--has-unread"}).out, "0\n");

  // One event when the message came, one when it was read.
  auto events = Timctl({"tail", "--since", "0", "--kinds", "total_unread_changed", "--count", "2"});
  ASSERT_EQ(events.exit_code, 0) << events.Describe();
  auto lines = events.JsonLines();
  ASSERT_EQ(lines.size(), 2u) << events.out;
  EXPECT_EQ(lines[0]["total_unread_changed"]["unread_count"], "1") << events.out;
  EXPECT_EQ(lines[1]["total_unread_changed"]["unread_count"], "0") << events.out;
}

}  // namespace
}  // namespace timd::test
