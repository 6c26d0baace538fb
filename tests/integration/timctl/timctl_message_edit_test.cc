// timctl revoke and modify against a real Prosody and timd: the commands'
// output (human and --json), timd's store after them, a refusal's exit code
// 3 with its TIM code, and the usage errors.
#include <gtest/gtest.h>

#include "alice_timd_fixture.h"

namespace timd::test {
namespace {

using TimctlMessageEditTest = AliceTimdFixture;

TEST_F(TimctlMessageEditTest, ModifyThenRevokeAnOwnMessage) {
  auto sent = Timctl({"send", "bob", "frist", "--id", "edit-1", "--json"});
  ASSERT_EQ(sent.exit_code, 0) << sent.Describe() << timd_.log();
  const auto seq = sent.JsonLines().at(0)["message"]["seq"];

  auto modified = Timctl({"modify", "bob", "edit-1", "--text", "first", "--json"});
  ASSERT_EQ(modified.exit_code, 0) << modified.Describe() << timd_.log();
  auto message = modified.JsonLines().at(0)["message"];
  EXPECT_EQ(message["msg_id"], "edit-1");
  EXPECT_EQ(message["seq"], seq);
  EXPECT_EQ(message["elems"][0]["text"]["content"], "first");

  auto as_card = Timctl({"modify", "bob", "edit-1", "--message-json",
                         R"({"message_elem_array":[{"elem_type":3,"custom_elem_data":"{}","custom_elem_desc":"a card"}],)"
                         R"("message_cloud_custom_str":"cc"})"});
  ASSERT_EQ(as_card.exit_code, 0) << as_card.Describe();
  EXPECT_EQ(as_card.out, "modified edit-1 (seq " + seq.get<std::string>() + ")\n");
  auto history = Timctl({"history", "bob", "--json"});
  ASSERT_EQ(history.exit_code, 0) << history.Describe();
  auto stored = history.JsonLines().at(0)["messages"];
  ASSERT_EQ(stored.size(), 1u) << history.out;
  EXPECT_EQ(stored[0]["elems"][0]["custom"]["desc"], "a card");
  EXPECT_EQ(stored[0]["cloud_custom_str"], "cc");

  auto revoked = Timctl({"revoke", "bob", "edit-1"});
  ASSERT_EQ(revoked.exit_code, 0) << revoked.Describe();
  EXPECT_EQ(revoked.out, "revoked edit-1\n");
  history = Timctl({"history", "bob", "--json"});
  EXPECT_EQ(history.JsonLines().at(0)["messages"][0]["status"], "MSG_REVOKED") << history.out;
}

TEST_F(TimctlMessageEditTest, RefusalsAndUsageErrors) {
  auto unknown = Timctl({"revoke", "bob", "no-such-message", "--json"});
  EXPECT_EQ(unknown.exit_code, 3) << unknown.Describe();
  EXPECT_EQ(unknown.ErrorJson()["tim_code"], 7011) << unknown.err;
  EXPECT_EQ(unknown.ErrorJson()["grpc_code"], 5) << unknown.err;  // NOT_FOUND

  auto nothing = Timctl({"modify", "bob", "edit-1"});
  EXPECT_EQ(nothing.exit_code, 1) << nothing.Describe();
  auto both = Timctl({"modify", "bob", "edit-1", "--text", "a", "--message-json",
                      R"({"message_elem_array":[{"elem_type":0,"text_elem_content":"b"}]})"});
  EXPECT_EQ(both.exit_code, 1) << both.Describe();
  auto bad_json = Timctl({"modify", "bob", "edit-1", "--message-json", "{\"message_elem_array\":7}"});
  EXPECT_EQ(bad_json.exit_code, 1) << bad_json.Describe();
  auto no_id = Timctl({"revoke", "bob"});
  EXPECT_EQ(no_id.exit_code, 1) << no_id.Describe();
}

}  // namespace
}  // namespace timd::test
