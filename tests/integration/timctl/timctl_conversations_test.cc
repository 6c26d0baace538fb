// timctl's conversation commands against a real Prosody and timd: their
// output (human and --json), timd's state after them, and a refusal's exit
// code 3 with its TIM code.
#include <gtest/gtest.h>

#include "alice_timd_fixture.h"

namespace timd::test {
namespace {

class TimctlConversationsTest : public AliceTimdFixture {
 protected:
  // The one conversation `conv-info bob --json` shows.
  nlohmann::json Bob() {
    auto info = Timctl({"conv-info", "bob", "--json"});
    EXPECT_EQ(info.exit_code, 0) << info.Describe();
    return info.JsonLines().at(0)["conversations"].at(0);
  }
};

TEST_F(TimctlConversationsTest, DraftPinMarkCustomDataFilterAndDelete) {
  auto sent = Timctl({"send", "bob", "hello"});
  ASSERT_EQ(sent.exit_code, 0) << sent.Describe();

  auto draft = Timctl({"draft", "bob", "unsent words", "--user-define", "ud"});
  ASSERT_EQ(draft.exit_code, 0) << draft.Describe();
  EXPECT_EQ(draft.out, "draft set\n");
  EXPECT_EQ(Bob()["is_has_draft"], true);
  EXPECT_EQ(Bob()["draft"]["msg"]["elems"][0]["text"]["content"], "unsent words");

  auto pin = Timctl({"pin", "bob"});
  ASSERT_EQ(pin.exit_code, 0) << pin.Describe();
  EXPECT_EQ(pin.out, "pinned\n");
  auto convs = Timctl({"convs"});
  EXPECT_NE(convs.out.find("bob  unread 0"), std::string::npos) << convs.out;
  EXPECT_NE(convs.out.find("[pinned]  [draft]  hello"), std::string::npos) << convs.out;

  auto mark = Timctl({"mark", "c2c_bob", "c2c_nobody", "--type", "5"});
  ASSERT_EQ(mark.exit_code, 0) << mark.Describe();
  EXPECT_NE(mark.out.find("c2c_bob  ok\n"), std::string::npos) << mark.out;
  EXPECT_NE(mark.out.find("c2c_nobody  failed 6004: "), std::string::npos) << mark.out;
  EXPECT_EQ(Bob()["mark_array"], nlohmann::json::array({"1", "4"}));  // uint64 as JSON strings (proto3 JSON)

  auto custom = Timctl({"conv-custom-data", "c2c_bob", "--data", "blob", "--json"});
  ASSERT_EQ(custom.exit_code, 0) << custom.Describe();
  EXPECT_EQ(custom.JsonLines().at(0)["results"][0]["result_code"], 0);
  EXPECT_EQ(Bob()["custom_data"], "YmxvYg==");  // bytes as base64 (proto3 JSON)

  auto filtered = Timctl({"conv-filter", "--mark", "4", "--json"});
  ASSERT_EQ(filtered.exit_code, 0) << filtered.Describe();
  auto page = filtered.JsonLines().at(0);
  ASSERT_EQ(page["conversations"].size(), 1u) << filtered.out;
  EXPECT_EQ(page["is_finished"], true);
  auto none = Timctl({"conv-filter", "--mark", "2", "--unread"});
  EXPECT_EQ(none.out, "(no conversations)\n") << none.Describe();

  auto cancelled = Timctl({"draft", "bob", "--cancel"});
  EXPECT_EQ(cancelled.out, "draft cancelled\n") << cancelled.Describe();
  EXPECT_EQ(Bob()["is_has_draft"], false);

  auto deleted = Timctl({"conv-delete", "bob"});
  ASSERT_EQ(deleted.exit_code, 0) << deleted.Describe();
  EXPECT_EQ(deleted.out, "deleted bob\n");
  EXPECT_EQ(Timctl({"convs"}).out, "(no conversations)\n");

  auto unknown = Timctl({"conv-delete", "bob", "--json"});
  EXPECT_EQ(unknown.exit_code, 3) << unknown.Describe();
  EXPECT_EQ(unknown.ErrorJson()["tim_code"], 6004) << unknown.err;
  EXPECT_EQ(unknown.ErrorJson()["grpc_code"], 5) << unknown.err;  // NOT_FOUND
  auto unknown_list = Timctl({"conv-delete-list", "c2c_bob", "--json"});
  ASSERT_EQ(unknown_list.exit_code, 0) << unknown_list.Describe();
  EXPECT_EQ(unknown_list.JsonLines().at(0)["results"][0]["result_code"], 6004);
  EXPECT_EQ(Timctl({"mark", "c2c_bob"}).exit_code, 1);  // --type is required
}

}  // namespace
}  // namespace timd::test
