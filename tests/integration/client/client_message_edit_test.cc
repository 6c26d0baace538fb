// TIMMsgRevoke and TIMMsgModifyMessage through libtimclient (message_edit_app)
// against alice's timd on a real Prosody: the results and the revoke and
// update callbacks carry TIM's JSON keys, and timd's store agrees.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "integration/client/alice_fixture.h"
#include "support/app_process.h"
#include "support/message_sets.h"

namespace timd::test {
namespace {

using json = nlohmann::json;

using ClientMessageEditTest = AppOutputFixture;

TEST_F(ClientMessageEditTest, RevokeAndModifyResultsAndCallbacksCarryTimKeys) {
  alice_.Start();
  ASSERT_TRUE(alice_.WaitLoggedIn()) << alice_.log();
  auto args = AliceArgs("edit-app");
  args.insert(args.end(), {"--peer", "bob"});
  AppProcess app("tests/integration/client/message_edit_app", args);
  app.Start();
  ASSERT_TRUE(app.WaitOutput("done", std::chrono::seconds(40))) << app.output() << alice_.log();

  const json sent = LineJson(app, "send 0");
  ASSERT_TRUE(sent.is_object()) << app.output();
  EXPECT_EQ(CodeOf(app, "revoke"), 0) << app.output();
  EXPECT_EQ(CodeOf(app, "modify"), 0) << app.output();
  EXPECT_EQ(CodeOf(app, "revoke-unknown"), 7011) << app.output();

  const json revoked = LineJson(app, "revoke-callback");
  ASSERT_TRUE(revoked.is_array() && revoked.size() == 1) << app.output();
  const json& info = revoked[0];
  EXPECT_EQ(info["message_locator_conv_id"], "bob");
  EXPECT_EQ(info["message_locator_conv_type"], 1);
  EXPECT_EQ(info["message_locator_is_revoked"], true);
  EXPECT_EQ(info["message_locator_is_self"], true);
  EXPECT_EQ(info["message_locator_seq"], sent["message_seq"]);
  EXPECT_EQ(info["message_locator_rand"], sent["message_rand"]);
  EXPECT_EQ(info["message_locator_unique_id"], sent["message_unique_id"]);
  EXPECT_EQ(info["message_locator_time"], sent["message_server_time"]);
  EXPECT_EQ(info["message_revoker_user_id"], "alice");
  for (const char* key : {"message_revoker_nick_name", "message_revoker_face_url", "message_revoke_reason"}) {
    EXPECT_TRUE(info.contains(key)) << key;
  }

  const json modified = LineJson(app, "modify 0");
  ASSERT_TRUE(modified.is_object()) << app.output();
  EXPECT_EQ(modified["message_elem_array"][0]["text_elem_content"], "modified");
  EXPECT_EQ(modified["message_cloud_custom_str"], "edited");
  const json updated = LineJson(app, "update-callback");
  ASSERT_TRUE(updated.is_array() && updated.size() == 1) << app.output();
  EXPECT_EQ(updated[0]["message_msg_id"], modified["message_msg_id"]);
  EXPECT_EQ(updated[0]["message_seq"], modified["message_seq"]);
  EXPECT_EQ(updated[0]["message_elem_array"][0]["text_elem_content"], "modified");

  // timd's store agrees.
  const auto history = History(alice_, "bob");
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(TextOf(history[0]), "modified");
  EXPECT_EQ(history[1].status(), tim::v1::MSG_REVOKED);
}

}  // namespace
}  // namespace timd::test
