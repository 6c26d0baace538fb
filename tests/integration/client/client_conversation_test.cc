// The conversation calls through libtimclient (conversation_app) against
// alice's timd on a real Prosody: results, return codes and ConvEvents
// carry TIM's JSON keys and error codes, and timd's store agrees.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "integration/client/alice_fixture.h"
#include "support/app_process.h"
#include "support/message_sets.h"

namespace timd::test {
namespace {

using json = nlohmann::json;

class ClientConversationTest : public AliceFixture {
 protected:
  // The conversation-event lines of `type`, parsed.
  static std::vector<json> ConvEvents(const AppProcess& app, int type) {
    std::vector<json> out;
    const std::string prefix = "conv-event " + std::to_string(type) + " ";
    for (const auto& line : Lines(app.output())) {
      if (line.rfind(prefix, 0) == 0) out.push_back(json::parse(line.substr(prefix.size()), nullptr, false));
    }
    return out;
  }
};

TEST_F(ClientConversationTest, ConversationCallsAndEventsCarryTimKeysAndCodes) {
  alice_.Start();
  ASSERT_TRUE(alice_.WaitLoggedIn()) << alice_.log();
  auto args = AliceArgs("conversation-app");
  args.insert(args.end(), {"--peer", "bob"});
  AppProcess app("tests/integration/client/conversation_app", args);
  app.Start();
  ASSERT_TRUE(app.WaitOutput("done", std::chrono::seconds(60))) << app.output() << alice_.log();
  const std::string out = app.output();

  const json info = LineJson(app, "conv-info 0");
  ASSERT_TRUE(info.is_array() && info.size() == 1) << out;  // "nobody" is left out
  EXPECT_EQ(info[0]["conv_id"], "bob");
  EXPECT_EQ(info[0]["conv_type"], 1);
  EXPECT_EQ(info[0]["conv_is_has_lastmsg"], true);
  EXPECT_EQ(info[0]["conv_last_msg"]["message_elem_array"][0]["text_elem_content"], "hi");
  for (const char* key : {"conv_unread_num", "conv_active_time", "conv_show_name", "conv_face_url", "conv_is_pinned",
                          "conv_is_has_draft", "conv_mark_array", "conv_custom_data", "conv_recv_opt",
                          "conv_group_at_info_array", "conv_conversation_group_array", "conv_c2c_read_timestamp",
                          "conv_group_read_sequence"}) {
    EXPECT_TRUE(info[0].contains(key)) << key;
  }

  EXPECT_EQ(CodeOf(app, "set-draft"), 0) << out;
  EXPECT_EQ(CodeOf(app, "set-draft-unknown"), -5) << out;  // TIM_ERR_CONV
  EXPECT_EQ(CodeOf(app, "set-draft-json"), -3) << out;     // TIM_ERR_JSON
  EXPECT_EQ(CodeOf(app, "pin"), 0) << out;

  const json marked = LineJson(app, "mark 0");
  ASSERT_TRUE(marked.is_array() && marked.size() == 2) << out;
  EXPECT_EQ(marked[0]["conversation_operation_result_conversation_id"], "c2c_bob");
  EXPECT_EQ(marked[0]["conversation_operation_result_result_code"], 0);
  EXPECT_EQ(marked[1]["conversation_operation_result_conversation_id"], "c2c_nobody");
  EXPECT_EQ(marked[1]["conversation_operation_result_result_code"], 6004);
  EXPECT_FALSE(marked[1]["conversation_operation_result_result_info"].get<std::string>().empty());
  EXPECT_EQ(LineJson(app, "custom 0")[0]["conversation_operation_result_result_code"], 0) << out;

  const json page = LineJson(app, "filter 0");
  ASSERT_TRUE(page.is_object()) << out;
  ASSERT_EQ(page["conversation_list_result_conv_list"].size(), 1u) << out;
  EXPECT_EQ(page["conversation_list_result_conv_list"][0]["conv_id"], "bob");
  EXPECT_EQ(page["conversation_list_result_is_finished"], true);
  EXPECT_EQ(page["conversation_list_result_next_seq"], 1);

  const json list = LineJson(app, "list 0");
  ASSERT_TRUE(list.is_array() && list.size() == 1) << out;
  const json& bob = list[0];
  EXPECT_EQ(bob["conv_is_pinned"], true);
  EXPECT_GE(bob["conv_active_time"].get<uint64_t>(), uint64_t{1} << 62);
  EXPECT_EQ(bob["conv_is_has_draft"], true);
  EXPECT_EQ(bob["conv_draft"]["draft_msg"]["message_elem_array"][0]["text_elem_content"], "hi");
  EXPECT_EQ(bob["conv_draft"]["draft_user_define"], "ud");
  EXPECT_GT(bob["conv_draft"]["draft_edit_time"].get<uint64_t>(), 0u);
  EXPECT_EQ(bob["conv_mark_array"], json::array({1}));
  EXPECT_EQ(bob["conv_custom_data"], "cd");

  EXPECT_EQ(CodeOf(app, "cancel-draft"), 0) << out;
  EXPECT_EQ(CodeOf(app, "delete-unknown"), 6004) << out;
  EXPECT_EQ(CodeOf(app, "delete"), 0) << out;
  const json deleted_list = LineJson(app, "delete-list 0");
  ASSERT_TRUE(deleted_list.is_array() && deleted_list.size() == 2) << out;
  EXPECT_EQ(deleted_list[0]["conversation_operation_result_result_code"], 6004);  // deleted just before

  // Events: Add for the first message, Updates for the edits, one Del.
  EXPECT_FALSE(ConvEvents(app, 0).empty()) << out;
  bool draft_update = false, cancel_update = false;
  for (const json& update : ConvEvents(app, 2)) {
    ASSERT_TRUE(update.is_array()) << out;
    for (const json& conv : update) {
      if (conv["conv_is_has_draft"] == true) draft_update = true;
      if (conv["conv_is_has_draft"] == false && conv["conv_is_pinned"] == true) cancel_update = true;
    }
  }
  EXPECT_TRUE(draft_update) << out;
  EXPECT_TRUE(cancel_update) << out;
  const auto dels = ConvEvents(app, 1);
  ASSERT_EQ(dels.size(), 1u) << out;
  EXPECT_EQ(dels[0][0]["conv_id"], "bob");
  EXPECT_EQ(dels[0][0]["conv_type"], 1);

  // timd's store agrees: no conversation, no messages.
  EXPECT_TRUE(History(alice_, "bob").empty());
}

}  // namespace
}  // namespace timd::test
