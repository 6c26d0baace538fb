// App JSON of TIMMsgRevoke and TIMMsgModifyMessage -> requests.
#include <gtest/gtest.h>

#include "tim_json.h"

namespace {

using timclient::ParseResult;

TEST(ClientJsonParseMessageEdit, RevokeReadsTheMessageIdOfAWholeMessage) {
  std::string id, why;
  ASSERT_EQ(timclient::ParseMessageId(R"({"message_msg_id":"m-1","message_seq":4294967296,
      "message_elem_array":[{"elem_type":0,"text_elem_content":"hi"}],"message_status":2})",
                                      &id, &why),
            ParseResult::kOk)
      << why;
  EXPECT_EQ(id, "m-1");
  EXPECT_EQ(timclient::ParseMessageId(R"({"message_seq":1})", &id, &why), ParseResult::kParam);
  EXPECT_NE(why.find("message_msg_id"), std::string::npos) << why;
  EXPECT_EQ(timclient::ParseMessageId(R"({"message_msg_id":""})", &id, &why), ParseResult::kParam);
  EXPECT_EQ(timclient::ParseMessageId(R"({"message_msg_id":7})", &id, &why), ParseResult::kParam);
  EXPECT_EQ(timclient::ParseMessageId("{nope", &id, &why), ParseResult::kJson);
  EXPECT_EQ(timclient::ParseMessageId(nullptr, &id, &why), ParseResult::kParam);
}

TEST(ClientJsonParseMessageEdit, ModifyTakesIdConversationAndTheNewContent) {
  tim::v1::ModifyMessageRequest req;
  std::string why;
  ASSERT_EQ(timclient::ParseModifyMessage(R"({"message_msg_id":"m-1","message_conv_id":"bob",
      "message_conv_type":1,"message_cloud_custom_str":"cc",
      "message_elem_array":[{"elem_type":0,"text_elem_content":"fixed"},
                            {"elem_type":6,"face_elem_index":3}]})",
                                          &req, &why),
            ParseResult::kOk)
      << why;
  EXPECT_EQ(req.msg_id(), "m-1");
  EXPECT_EQ(req.conv_id(), "bob");
  EXPECT_EQ(req.conv_type(), tim::v1::CONV_C2C);
  EXPECT_EQ(req.cloud_custom_str(), "cc");
  ASSERT_EQ(req.elems_size(), 2);
  EXPECT_EQ(req.elems(0).text().content(), "fixed");
  EXPECT_EQ(req.elems(1).face().index(), 3);
}

TEST(ClientJsonParseMessageEdit, ModifyWithoutIdConversationOrElementsIsKParam) {
  tim::v1::ModifyMessageRequest req;
  std::string why;
  const char* elems = R"("message_elem_array":[{"elem_type":0,"text_elem_content":"x"}])";
  EXPECT_EQ(timclient::ParseModifyMessage(
                (std::string(R"({"message_conv_id":"bob","message_conv_type":1,)") + elems + "}").c_str(), &req,
                &why),
            ParseResult::kParam);
  EXPECT_EQ(timclient::ParseModifyMessage(
                (std::string(R"({"message_msg_id":"m","message_conv_type":1,)") + elems + "}").c_str(), &req, &why),
            ParseResult::kParam);
  EXPECT_NE(why.find("message_conv_id"), std::string::npos) << why;
  EXPECT_EQ(timclient::ParseModifyMessage(
                (std::string(R"({"message_msg_id":"m","message_conv_id":"bob","message_conv_type":9,)") + elems +
                 "}")
                    .c_str(),
                &req, &why),
            ParseResult::kParam);
  EXPECT_EQ(timclient::ParseModifyMessage(R"({"message_msg_id":"m","message_conv_id":"bob","message_conv_type":1})",
                                          &req, &why),
            ParseResult::kParam);
}

}  // namespace
