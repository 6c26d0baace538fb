// A SendMessage caller learns the outcome of its send only once the row that
// records it is committed, and never an outcome that a lost batch undid.
#include <optional>

#include "unit/domain/messaging_fixture.h"

namespace timd::domain {
namespace {

using SendResult = Result<tim::v1::SendMessageResponse>;

class MessagingSendOutcomeTest : public MessagingFixture {
 protected:
  // Accepted while offline: stored, committed and waiting in the outbox.
  void SendWhileOffline(const std::string& key) {
    tim::v1::SendMessageRequest request;
    request.set_conv_id("bob");
    request.set_conv_type(tim::v1::CONV_C2C);
    request.set_client_msg_id(key);
    auto& elem = *request.add_elems();
    elem.set_type(tim::v1::ELEM_TEXT);
    elem.mutable_text()->set_content("hello");
    messaging_->Send(request, nullptr, [this](SendResult result) { answer_.emplace(std::move(result)); });
    ASSERT_FALSE(answer_.has_value()) << "a queued send has no outcome yet";
    ASSERT_EQ(store_->FindByMsgId(key)->status, tim::v1::MSG_SENDING);
  }

  std::optional<SendResult> answer_;
};

TEST_F(MessagingSendOutcomeTest, OutcomeIsAnsweredOnlyOnceItsRowIsCommitted) {
  SendWhileOffline("k-1");
  messaging_->FailPending(Status(Code::kUnavailable, tim_err::kNetDisconnect, "logged out"));
  EXPECT_FALSE(answer_.has_value()) << "answered before the SEND_FAIL row was committed";

  ASSERT_TRUE(bus_->Flush());
  ASSERT_TRUE(answer_.has_value());
  EXPECT_EQ(answer_->status().tim_code(), tim_err::kNetDisconnect);
  EXPECT_EQ(answer_->status().message(), "logged out");
  EXPECT_EQ(store_->FindByMsgId("k-1")->status, tim::v1::MSG_SEND_FAIL);
}

TEST_F(MessagingSendOutcomeTest, ALostBatchAnswersUnavailableAndTheMessageStaysInTheOutbox) {
  SendWhileOffline("k-2");
  messaging_->FailPending(Status(Code::kUnavailable, tim_err::kNetDisconnect, "logged out"));
  bus_->AbortBatch("disk full");

  ASSERT_TRUE(answer_.has_value());
  EXPECT_EQ(answer_->status().code(), Code::kUnavailable);
  EXPECT_EQ(answer_->status().tim_code(), tim_err::kDatabaseFailure);
  // The failure was never recorded, so the caller was not told of it.
  EXPECT_EQ(store_->FindByMsgId("k-2")->status, tim::v1::MSG_SENDING);
}

}  // namespace
}  // namespace timd::domain
