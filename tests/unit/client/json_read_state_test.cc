// Read-state JSON: message ids out of TIM Message JSON, the total-unread result.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tim_json.h"

namespace {

using timclient::ParseResult;

TEST(ClientJsonReadState, MessageIdsOfAnArray) {
  timclient::Repeated<std::string> ids;
  std::string why;
  ASSERT_EQ(timclient::ParseMessageIdArray(R"([{"message_msg_id":"a"},{"message_msg_id":"b"}])", &ids, &why),
            ParseResult::kOk);
  ASSERT_EQ(ids.size(), 2);
  EXPECT_EQ(ids[1], "b");
  timclient::Repeated<std::string> none;
  EXPECT_EQ(timclient::ParseMessageIdArray("[]", &none, &why), ParseResult::kParam);
  EXPECT_EQ(timclient::ParseMessageIdArray(nullptr, &none, &why), ParseResult::kParam);
  EXPECT_EQ(timclient::ParseMessageIdArray(R"({"message_msg_id":"a"})", &none, &why), ParseResult::kParam);
  EXPECT_EQ(timclient::ParseMessageIdArray(R"([1])", &none, &why), ParseResult::kParam);
}

TEST(ClientJsonReadState, TotalUnreadUsesTimsKey) {
  const auto o = nlohmann::json::parse(timclient::TotalUnreadJson(7));
  EXPECT_EQ(o, nlohmann::json({{"conv_get_total_unread_message_count_result_unread_count", 7}}));
}

}  // namespace
