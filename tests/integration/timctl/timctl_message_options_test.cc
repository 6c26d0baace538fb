// timctl send's --location, --exclude-from-unread and --priority against a
// real Prosody and timd: what timd stored (--json), and refusals with
// their TIM codes.
#include <gtest/gtest.h>

#include "alice_timd_fixture.h"

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

}  // namespace
}  // namespace timd::test
