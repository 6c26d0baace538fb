// GetMessages with is_ramble on a real Prosody, the parts beyond paging
// backwards: a forward page from the oldest first fetches the archive from
// the range's begin, so it starts at the conversation's first message
// (or the range's), in order, with seqs that keep the order, and the
// next pages go on without duplicates or holes (one call fetches at most
// 1,000 messages, a later one the rest); and a conversation the
// fresh daemon knows from the archive only becomes listed, with its
// newest archived message as the last, read, and one ConvEvent ADD.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "integration/history_ramble_fixture.h"

namespace timd::test {
namespace {

using namespace std::chrono_literals;

class HistoryRambleForwardTest : public HistoryRambleTest {
 protected:
  // Every page forwards with is_ramble from `time_begin`, oldest first;
  // `seqs` gets their seqs.
  Strings ForwardAll(uint32_t count, uint64_t time_begin, std::vector<uint64_t>* seqs = nullptr) {
    Strings texts;
    uint64_t after = 0;
    for (int pages = 0; pages < 20; ++pages) {
      auto page = Forward(count, true, after, time_begin);
      for (const auto& m : page.messages()) {
        texts.push_back(TextOf(m));
        if (seqs != nullptr) seqs->push_back(m.seq());
      }
      if (page.is_finished()) return texts;
      after = page.next_after_seq();
    }
    ADD_FAILURE() << "paging did not finish";
    return texts;
  }
};

TEST_F(HistoryRambleForwardTest, PagesFromTheOldestFetchTheArchiveFirst) {
  EventReader events(fresh_.Channel(), FromStart());
  auto local = Forward(3, false);
  EXPECT_EQ(Texts(local), (Strings{"m7"}));
  EXPECT_TRUE(local.is_finished());
  const uint64_t m7_seq = local.messages(0).seq();
  const int64_t unread = Unread();

  auto first = Forward(3, true);
  EXPECT_EQ(Texts(first), (Strings{"m1", "m2", "m3"}));
  EXPECT_FALSE(first.is_finished());
  auto second = Forward(3, true, first.next_after_seq());
  EXPECT_EQ(Texts(second), (Strings{"m4", "m5", "m6"}));
  EXPECT_FALSE(second.is_finished());
  auto third = Forward(3, true, second.next_after_seq());
  EXPECT_EQ(Texts(third), (Strings{"m7"}));
  EXPECT_TRUE(third.is_finished());

  // Seqs count up in time order, without gaps, to m7's, which stays.
  std::vector<uint64_t> seqs;
  const Strings all{"m1", "m2", "m3", "m4", "m5", "m6", "m7"};
  EXPECT_EQ(ForwardAll(2, 0, &seqs), all);
  ASSERT_EQ(seqs.size(), all.size());
  for (size_t i = 1; i < seqs.size(); ++i) EXPECT_EQ(seqs[i], seqs[i - 1] + 1) << i;
  EXPECT_EQ(seqs.back(), m7_seq);
  EXPECT_EQ(ForwardAll(50, 0), all);
  EXPECT_EQ(Texts(Page(50, false)), (Strings{"m7", "m6", "m5", "m4", "m3", "m2", "m1"}));

  // History is not news.
  SendAndWait(fresh_, 8, 8);
  ASSERT_TRUE(events.WaitFor(HasTextMessage("m8")));
  EXPECT_EQ(EventBodies(events, "m"), (Strings{"m7", "m8"}));
  EXPECT_EQ(Unread(), unread + 1);
}

// m1..m3 are archived before a second boundary, m4..m6 after it.
class HistoryRambleRangeTest : public HistoryRambleForwardTest {
 protected:
  void SendArchived() override {
    SendAndWait(bob_, 1, 3);
    const auto now = std::chrono::system_clock::now().time_since_epoch();
    time_begin_ = static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::seconds>(now).count()) + 1;
    // Archive times are whole seconds: well into the next one.
    std::this_thread::sleep_until(std::chrono::system_clock::time_point(std::chrono::seconds(time_begin_)) + 200ms);
    SendAndWait(bob_, 4, kArchived);
  }

  uint64_t time_begin_ = 0;
};

TEST_F(HistoryRambleRangeTest, ARangeFetchesFromItsBeginAndALaterCallFurther) {
  EXPECT_EQ(Texts(Forward(10, false, 0, time_begin_)), (Strings{"m7"}));
  auto ranged = Forward(2, true, 0, time_begin_);
  EXPECT_EQ(Texts(ranged), (Strings{"m4", "m5"}));
  EXPECT_FALSE(ranged.is_finished());
  EXPECT_EQ(Texts(Forward(10, true, ranged.next_after_seq(), time_begin_)), (Strings{"m6", "m7"}));
  // The archive was asked from the range's begin only.
  EXPECT_EQ(Texts(Page(50, false)), (Strings{"m7", "m6", "m5", "m4"}));
  EXPECT_EQ(ForwardAll(10, time_begin_), (Strings{"m4", "m5", "m6", "m7"}));

  // From the beginning: the rest comes, each once.
  EXPECT_EQ(ForwardAll(4, 0), (Strings{"m1", "m2", "m3", "m4", "m5", "m6", "m7"}));
  EXPECT_EQ(Texts(Page(50, false)), (Strings{"m7", "m6", "m5", "m4", "m3", "m2", "m1"}));
}

// The fresh daemon gets no message: the archive is all it knows of alice.
class HistoryRambleFreshTest : public HistoryRambleTest {
 protected:
  bool FreshGetsALiveMessage() const override { return false; }

  static int ConvEvents(const EventReader& events, tim::v1::ConvEventType type) {
    int count = 0;
    for (const auto& e : events.Events()) {
      if (!e.has_conv_event() || e.conv_event().type() != type) continue;
      for (const auto& c : e.conv_event().conversations()) count += c.conv_id() == "alice" ? 1 : 0;
    }
    return count;
  }
};

TEST_F(HistoryRambleFreshTest, AConversationKnownFromTheArchiveOnlyIsListed) {
  EventReader events(fresh_.Channel(), FromStart());
  EXPECT_TRUE(Page(3, false).messages().empty());
  EXPECT_FALSE(Listed());

  auto first = Page(3, true);
  EXPECT_EQ(Texts(first), (Strings{"m6", "m5", "m4"}));
  auto listed = Listed();
  ASSERT_TRUE(listed);
  EXPECT_TRUE(listed->is_has_last_msg());
  EXPECT_EQ(TextOf(listed->last_msg()), "m6");
  EXPECT_EQ(listed->last_msg().msg_id(), first.messages(0).msg_id());
  EXPECT_EQ(listed->active_time(), listed->last_msg().server_time());
  EXPECT_EQ(listed->unread_num(), 0u);
  ASSERT_TRUE(events.WaitFor([](const tim::v1::Event& e) {
    return e.has_conv_event() && e.conv_event().type() == tim::v1::CONV_EVENT_ADD;
  })) << fresh_.log();

  // Older history is not news: the last message stays.
  EXPECT_EQ(Texts(Page(3, true, first.next_before_seq())), (Strings{"m3", "m2", "m1"}));
  EXPECT_EQ(TextOf(Listed()->last_msg()), "m6");
  EXPECT_EQ(Listed()->unread_num(), 0u);

  // A new message: everything before it has reached the subscriber.
  SendAndWait(fresh_, kArchived + 1, kArchived + 1);
  ASSERT_TRUE(events.WaitFor(HasTextMessage("m7")));
  EXPECT_EQ(ConvEvents(events, tim::v1::CONV_EVENT_ADD), 1);
  EXPECT_EQ(EventBodies(events, "m"), (Strings{"m7"}));
  EXPECT_EQ(TextOf(Listed()->last_msg()), "m7");
  EXPECT_EQ(Listed()->unread_num(), 1u);
}

// More archived messages than one call fetches: the page starts at the
// oldest one fetched, and the next call from the oldest fetches the rest.
class HistoryRambleBoundTest : public HistoryRambleForwardTest {
 protected:
  void SendArchived() override { SendAndWait(bob_, 1, kMany); }
  // The test sends the live message: m<kMany + 1>.
  bool FreshGetsALiveMessage() const override { return false; }

  static constexpr int kMany = 1010;
};

TEST_F(HistoryRambleBoundTest, ACallFetchesAtMostAThousandMessages) {
  SendAndWait(fresh_, kMany + 1, kMany + 1);
  auto first = Forward(3, true);
  ASSERT_EQ(first.messages_size(), 3);
  // 1,000 (or one more) of m1..m1010 were fetched, newest first.
  const std::string oldest_fetched = TextOf(first.messages(0));
  EXPECT_TRUE(oldest_fetched == "m11" || oldest_fetched == "m10") << oldest_fetched;
  EXPECT_FALSE(first.is_finished());

  Strings all;
  for (int i = 1; i <= kMany + 1; ++i) all.push_back("m" + std::to_string(i));
  EXPECT_EQ(ForwardAll(500, 0), all);
}

}  // namespace
}  // namespace timd::test
