// TIM's history and lookup calls through libtimclient (history_app)
// against alice's timd on a real Prosody: TIMMsgGetMsgList both ways and by
// anchor, TIMMsgFindMessages, TIMMsgFindByMsgLocatorList,
// TIMMsgSetLocalCustomData, TIMMsgSearchLocalMessages, TIMMsgDelete,
// TIMMsgListDelete, TIMMsgClearHistoryMessage, TIMMsgSaveMsg,
// TIMMsgImportMsgList and TIMMsgBatchSend, with TIM's JSON keys and error
// codes.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "integration/client/alice_fixture.h"

namespace timd::test {
namespace {

using json = nlohmann::json;
using Strings = std::vector<std::string>;
class ClientHistoryTest : public AliceFixture {};

Strings Texts(const json& messages) {
  Strings out;
  if (!messages.is_array()) return out;
  for (const auto& m : messages) out.push_back(m["message_elem_array"][0]["text_elem_content"]);
  return out;
}

TEST_F(ClientHistoryTest, HistoryAndLookupCallsCarryTimKeysAndCodes) {
  alice_.Start();
  ASSERT_TRUE(alice_.WaitLoggedIn()) << alice_.log();
  auto args = AliceArgs("history-app");
  args.insert(args.end(), {"--peer", "bob"});
  AppProcess app("tests/integration/client/history_app", args);
  app.Start();
  ASSERT_TRUE(app.WaitOutput("done", std::chrono::seconds(40))) << app.output() << alice_.log();

  EXPECT_EQ(Texts(LineJson(app, "forward 0")), (Strings{"h1", "h2"})) << app.output();
  EXPECT_EQ(Texts(LineJson(app, "before-h3 0")), (Strings{"h2", "h1"})) << app.output();
  EXPECT_EQ(Texts(LineJson(app, "after-h1 0")), (Strings{"h2", "h3"})) << app.output();
  // From the oldest with is_ramble: the archive (alice's own, holding what
  // her store holds) is asked first, and adds no copies.
  EXPECT_EQ(Texts(LineJson(app, "forward-ramble 0")), (Strings{"h1", "h2"})) << app.output();

  const json found = LineJson(app, "find 0");
  EXPECT_EQ(Texts(found), (Strings{"h1"})) << app.output();
  EXPECT_EQ(Texts(LineJson(app, "locate 0")), (Strings{"h2"})) << app.output();
  EXPECT_NE(app.output().find("find-bad-json -3\n"), std::string::npos) << app.output();  // TIM_ERR_JSON

  EXPECT_EQ(CodeOf(app, "set-data"), 0) << app.output();
  const json again = LineJson(app, "find-again 0");
  ASSERT_TRUE(again.is_array() && again.size() == 1) << app.output();
  EXPECT_EQ(again[0]["message_custom_int"], 5);
  EXPECT_EQ(again[0]["message_custom_str"], "kept");

  const json in_conv = LineJson(app, "search-conv 0");
  ASSERT_TRUE(in_conv.is_object()) << app.output();
  EXPECT_EQ(in_conv["msg_search_result_total_count"], 1);
  ASSERT_EQ(in_conv["msg_search_result_item_array"].size(), 1u);
  const json& item = in_conv["msg_search_result_item_array"][0];
  EXPECT_EQ(item["msg_search_result_item_conv_id"], "bob");
  EXPECT_EQ(item["msg_search_result_item_conv_type"], 1);
  EXPECT_EQ(Texts(item["msg_search_result_item_message_array"]), (Strings{"h2"}));
  const json everywhere = LineJson(app, "search-all 0");
  ASSERT_TRUE(everywhere.is_object()) << app.output();
  EXPECT_EQ(everywhere["msg_search_result_total_count"], 1);  // one conversation
  EXPECT_EQ(everywhere["msg_search_result_item_array"][0]["msg_search_result_item_total_message_count"], 2);

  EXPECT_EQ(CodeOf(app, "delete"), 0) << app.output();
  EXPECT_EQ(CodeOf(app, "list-delete-unknown"), 7011) << app.output();
  EXPECT_EQ(Texts(LineJson(app, "after-delete 0")), (Strings{"h3", "h1"})) << app.output();
  EXPECT_EQ(CodeOf(app, "clear"), 0) << app.output();
  EXPECT_EQ(LineJson(app, "after-clear 0"), json::array()) << app.output();

  const json saved = LineJson(app, "save 0");
  ASSERT_TRUE(saved.is_object()) << app.output();
  EXPECT_EQ(saved["message_status"], 5);  // kTIMMsg_LocalImported
  EXPECT_EQ(saved["message_is_from_self"], true);
  EXPECT_EQ(CodeOf(app, "import"), 0) << app.output();
  const json after_import = LineJson(app, "after-import 0");
  EXPECT_EQ(Texts(after_import), (Strings{"imported", "saved"})) << app.output();
  EXPECT_EQ(after_import[0]["message_msg_id"], "imported-1");
  EXPECT_EQ(after_import[0]["message_server_time"], 1000000000);
  EXPECT_EQ(after_import[0]["message_is_from_self"], false);
  EXPECT_EQ(after_import[0]["message_is_excluded_from_unread_count"], true) << app.output();
  EXPECT_EQ(after_import[0]["message_need_read_receipt"], true) << app.output();
  EXPECT_EQ(after_import[0]["message_is_read"], true) << "an imported message never counts as unread";

  const json batch = LineJson(app, "batch 0");
  ASSERT_TRUE(batch.is_array() && batch.size() == 2) << app.output();
  EXPECT_EQ(batch[0]["msg_batch_send_result_identifier"], "bob");
  EXPECT_EQ(batch[0]["msg_batch_send_result_code"], 0);
  EXPECT_EQ(batch[0]["msg_batch_send_result_msg"]["message_status"], 2);  // kTIMMsg_SendSucc
  EXPECT_EQ(batch[0]["msg_batch_send_result_msg"]["message_is_excluded_from_unread_count"], true) << app.output();
  EXPECT_EQ(batch[1]["msg_batch_send_result_code"], 7003);
  EXPECT_FALSE(batch[1].contains("msg_batch_send_result_msg"));

  // timd's store agrees: the batch message, then the imported and saved ones.
  EXPECT_EQ(StoredBodies(alice_, "bob", ""), (Strings{"batch", "imported", "saved"}));
}

}  // namespace
}  // namespace timd::test
