// The setting of the is_ramble tests: bob's history is on the server (his
// XEP-0313 archive) but not in a fresh daemon's store.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "integration/alice_bob_fixture.h"
#include "support/event_reader.h"
#include "support/message_sets.h"
#include "support/requests.h"
#include "support/timd_process.h"

namespace timd::test {

class HistoryRambleTest : public AliceBobFixture {
 protected:
  using Strings = std::vector<std::string>;

  // alice sends m1..m<kArchived> while bob's first daemon receives them;
  // then a second daemon for bob starts with an empty state dir, and
  // alice's m<kArchived + 1> is its only local message (unless
  // FreshGetsALiveMessage() says no: it then has none).
  void SetUp() override {
    AliceBobFixture::SetUp();
    SendArchived();
    EditArchivedHistory();
    bob_.Stop();
    fresh_.UseProsody(prosody_);
    fresh_.LoginAs("bob", "bob-pw");
    fresh_.Start();
    ASSERT_TRUE(fresh_.WaitLoggedIn()) << fresh_.log();
    if (FreshGetsALiveMessage()) SendAndWait(fresh_, kArchived + 1, kArchived + 1);
  }

  // Runs while bob's first daemon is online: the archived messages.
  virtual void SendArchived() { SendAndWait(bob_, 1, kArchived); }
  // Runs while bob's first daemon is still online, before the fresh one.
  virtual void EditArchivedHistory() {}
  virtual bool FreshGetsALiveMessage() const { return true; }

  void SendAndWait(const TimdProcess& receiver, int first, int last) {
    EventReader events(receiver.Channel(), FromStart());
    for (int i = first; i <= last; ++i) {
      auto status = SendText(*alice_.Stubs(), "bob", "m" + std::to_string(i));
      ASSERT_TRUE(status.ok()) << status.error_message();
    }
    ASSERT_TRUE(events.WaitFor(HasTextMessage("m" + std::to_string(last)))) << receiver.log();
  }

  tim::v1::GetMessagesResponse Get(tim::v1::GetMessagesRequest request) {
    using namespace std::chrono_literals;
    request.set_conv_id("alice");
    request.set_conv_type(tim::v1::CONV_C2C);
    tim::v1::GetMessagesResponse response;
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + 20s);
    auto status = fresh_.Stubs()->messages->GetMessages(&ctx, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response;
  }

  // Backwards.
  tim::v1::GetMessagesResponse Page(uint32_t count, bool ramble, uint64_t before_seq = 0) {
    tim::v1::GetMessagesRequest request;
    request.set_count(count);
    request.set_is_ramble(ramble);
    request.set_before_seq(before_seq);
    return Get(request);
  }

  tim::v1::GetMessagesResponse Forward(uint32_t count, bool ramble, uint64_t after_seq = 0, uint64_t time_begin = 0) {
    tim::v1::GetMessagesRequest request;
    request.set_is_forward(true);
    request.set_count(count);
    request.set_is_ramble(ramble);
    request.set_after_seq(after_seq);
    request.set_time_begin(time_begin);
    return Get(request);
  }

  // Every page backwards with is_ramble, newest first, each message as
  // `show` shows it.
  Strings RambleAll(uint32_t count, Strings (*show)(const tim::v1::GetMessagesResponse&) = &Texts) {
    Strings texts;
    uint64_t before = 0;
    for (int pages = 0; pages < 20; ++pages) {
      auto page = Page(count, true, before);
      for (const auto& text : show(page)) texts.push_back(text);
      if (page.is_finished()) return texts;
      before = page.next_before_seq();
    }
    ADD_FAILURE() << "paging did not finish";
    return texts;
  }

  static Strings Texts(const tim::v1::GetMessagesResponse& response) {
    Strings out;
    for (const auto& m : response.messages()) out.push_back(TextOf(m));
    return out;
  }

  // The conversation with alice as listed; nothing when it is not.
  std::optional<tim::v1::Conversation> Listed() {
    grpc::ClientContext ctx;
    tim::v1::ListConversationsResponse response;
    EXPECT_TRUE(fresh_.Stubs()->conversations->ListConversations(&ctx, {}, &response).ok());
    for (const auto& c : response.conversations()) {
      if (c.conv_id() == "alice") return c;
    }
    return std::nullopt;
  }

  int64_t Unread() {
    auto conversation = Listed();
    return conversation ? static_cast<int64_t>(conversation->unread_num()) : -1;
  }

  static constexpr int kArchived = 6;
  TimdProcess fresh_;
};

}  // namespace timd::test
