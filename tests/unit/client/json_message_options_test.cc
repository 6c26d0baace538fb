// The message options of TIM's Message JSON both ways:
// message_is_online_msg, message_is_excluded_from_unread_count,
// message_priority (reference §5.1).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tim_json.h"

namespace {

using timclient::ParseResult;

TEST(ClientJsonMessageOptions, SendKeysBecomeTheRequest) {
  tim::v1::SendMessageRequest req;
  std::string why;
  ASSERT_EQ(timclient::ParseMessage(R"({"message_elem_array":[{"elem_type":7,"location_elem_desc":"Pier 3",
      "location_elem_latitude":52.5,"location_elem_longitude":13.25}],"message_is_online_msg":true,
      "message_is_excluded_from_unread_count":true,"message_priority":3})",
                                    &req, &why),
            ParseResult::kOk)
      << why;
  EXPECT_TRUE(req.is_online_msg());
  EXPECT_TRUE(req.is_excluded_from_unread_count());
  EXPECT_EQ(req.priority(), 3u);
  EXPECT_EQ(req.elems(0).location().desc(), "Pier 3");

  tim::v1::SendMessageRequest plain;
  ASSERT_EQ(timclient::ParseMessage(R"({"message_elem_array":[{"elem_type":0,"text_elem_content":"x"}]})", &plain, &why),
            ParseResult::kOk);
  EXPECT_FALSE(plain.is_online_msg());
  EXPECT_FALSE(plain.is_excluded_from_unread_count());
  EXPECT_EQ(plain.priority(), 1u) << "absent: kTIMMsgPriority_Normal";

  // A priority too large for the request still reaches timd as out of range (6017 there).
  tim::v1::SendMessageRequest huge;
  ASSERT_EQ(timclient::ParseMessage(R"({"message_elem_array":[{"elem_type":0,"text_elem_content":"x"}],
      "message_priority":8589934592})",
                                    &huge, &why),
            ParseResult::kOk);
  EXPECT_GT(huge.priority(), 3u);
}

TEST(ClientJsonMessageOptions, WrongTypesAreKParam) {
  tim::v1::SendMessageRequest req;
  std::string why;
  for (const char* options : {R"("message_is_online_msg":1)", R"("message_is_excluded_from_unread_count":"yes")",
                              R"("message_priority":-1)", R"("message_priority":"high")"}) {
    const std::string text =
        std::string(R"({"message_elem_array":[{"elem_type":0,"text_elem_content":"x"}],)") + options + "}";
    EXPECT_EQ(timclient::ParseMessage(text.c_str(), &req, &why), ParseResult::kParam) << options;
  }
  EXPECT_EQ(req.elems_size(), 0);
}

TEST(ClientJsonMessageOptions, ReceivedMessagesShowThem) {
  tim::v1::Message m;
  m.set_is_online_msg(true);
  m.set_is_excluded_from_unread_count(true);
  m.set_priority(1);
  auto j = nlohmann::json::parse(timclient::MessageJson(m));
  EXPECT_EQ(j["message_is_online_msg"], true);
  EXPECT_EQ(j["message_is_excluded_from_unread_count"], true);
  EXPECT_EQ(j["message_priority"], 1);
  m.set_is_excluded_from_unread_count(false);
  EXPECT_EQ(nlohmann::json::parse(timclient::MessageJson(m))["message_is_excluded_from_unread_count"], false);
}

}  // namespace
