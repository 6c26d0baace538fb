// Element-type filters end to end on a real Prosody (with XEP-0363 for the
// image): alice sends bob text, image, custom, location and mixed
// messages; bob's GetMessages and SearchLocalMessages with message_types
// keep only messages with an element of those types, page and count them,
// and a search with no keyword selects by type alone.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "support/event_reader.h"
#include "support/file_messages.h"
#include "support/message_edits.h"
#include "support/message_sets.h"
#include "support/requests.h"
#include "support/timd_process.h"
#include "support/upload_session.h"

namespace timd::test {
namespace {

using namespace std::chrono_literals;
using Strings = std::vector<std::string>;
using Types = std::vector<tim::v1::ElemType>;

tim::v1::Elem CustomElem(const std::string& desc) {
  tim::v1::Elem elem;
  elem.set_type(tim::v1::ELEM_CUSTOM);
  elem.mutable_custom()->set_data("card-data");
  elem.mutable_custom()->set_desc(desc);
  return elem;
}

// A message's text elements and custom/location descriptions, joined.
std::string Summary(const tim::v1::Message& m) {
  std::string out;
  for (const auto& e : m.elems()) {
    if (!out.empty()) out += "+";
    if (e.type() == tim::v1::ELEM_TEXT) out += e.text().content();
    if (e.type() == tim::v1::ELEM_CUSTOM) out += "custom:" + e.custom().desc();
    if (e.type() == tim::v1::ELEM_LOCATION) out += "location:" + e.location().desc();
    if (e.type() == tim::v1::ELEM_IMAGE) out += "image";
  }
  return out;
}

class HistoryTypeFilterTest : public TwoDaemonsWithUpload {
 protected:
  void SetUp() override {
    TwoDaemonsWithUpload::SetUp();
    EventReader bob_events(bob_.Channel(), FromStart());
    Send(TextTo("bob", "plain one"));
    const std::string path = files_.File("photo.png");
    WriteRandomFile(path, 2048);
    Send(FileTo("bob", path, tim::v1::ELEM_IMAGE));
    tim::v1::SendMessageRequest custom = TextTo("bob", "unused");
    custom.clear_elems();
    *custom.add_elems() = CustomElem("card");
    Send(custom);
    tim::v1::SendMessageRequest location = TextTo("bob", "unused");
    location.clear_elems();
    auto* where = location.add_elems();
    where->set_type(tim::v1::ELEM_LOCATION);
    where->mutable_location()->set_desc("Pier 3");
    where->mutable_location()->set_latitude(52.5);
    where->mutable_location()->set_longitude(13.25);
    Send(location);
    tim::v1::SendMessageRequest mixed = TextTo("bob", "mixed");
    *mixed.add_elems() = CustomElem("badge");
    Send(mixed);
    Send(TextTo("bob", "plain two"));
    ASSERT_TRUE(bob_events.WaitFor(HasTextMessage("plain two"))) << bob_.log();
  }

  void Send(const tim::v1::SendMessageRequest& request) {
    tim::v1::SendMessageResponse response;
    auto status = SendWithin(*alice_.Stubs(), request, &response, 30s);
    ASSERT_TRUE(status.ok()) << status.error_message() << "\n" << alice_.log();
  }

  grpc::Status Page(const Types& types, uint32_t count, uint64_t before, tim::v1::GetMessagesResponse* response) {
    tim::v1::GetMessagesRequest request;
    request.set_conv_id("alice");
    request.set_conv_type(tim::v1::CONV_C2C);
    request.set_count(count);
    request.set_before_seq(before);
    for (auto type : types) request.add_message_types(type);
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + 20s);
    return bob_.Stubs()->messages->GetMessages(&ctx, request, response);
  }

  Strings Summaries(const Types& types) {
    tim::v1::GetMessagesResponse response;
    auto status = Page(types, 50, 0, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    EXPECT_TRUE(response.is_finished());
    Strings out;
    for (const auto& m : response.messages()) out.push_back(Summary(m));
    return out;
  }

  grpc::Status Search(const Strings& keywords, const Types& types, bool one_conversation,
                      tim::v1::SearchLocalMessagesResponse* response) {
    tim::v1::SearchLocalMessagesRequest request;
    for (const auto& k : keywords) request.add_keywords(k);
    for (auto type : types) request.add_message_types(type);
    if (one_conversation) {
      request.set_conv_id("alice");
      request.set_conv_type(tim::v1::CONV_C2C);
    }
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + 20s);
    return bob_.Stubs()->messages->SearchLocalMessages(&ctx, request, response);
  }

  Strings Found(const Strings& keywords, const Types& types) {
    tim::v1::SearchLocalMessagesResponse response;
    auto status = Search(keywords, types, true, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    Strings out;
    for (const auto& item : response.items()) {
      for (const auto& m : item.messages()) out.push_back(Summary(m));
    }
    EXPECT_EQ(response.total_count(), out.size());
    return out;
  }
};

TEST_F(HistoryTypeFilterTest, GetMessagesKeepsMessagesWithAnElementOfTheTypes) {
  EXPECT_EQ(Summaries({tim::v1::ELEM_IMAGE}), (Strings{"image"}));
  EXPECT_EQ(Summaries({tim::v1::ELEM_CUSTOM}), (Strings{"mixed+custom:badge", "custom:card"}));
  EXPECT_EQ(Summaries({tim::v1::ELEM_LOCATION, tim::v1::ELEM_IMAGE}), (Strings{"location:Pier 3", "image"}));
  EXPECT_EQ(Summaries({tim::v1::ELEM_TEXT}), (Strings{"plain two", "mixed+custom:badge", "plain one"}));
  EXPECT_EQ(Summaries({}).size(), 6u);

  // Pages count matching messages only.
  tim::v1::GetMessagesResponse first;
  ASSERT_TRUE(Page({tim::v1::ELEM_CUSTOM}, 1, 0, &first).ok());
  ASSERT_EQ(first.messages_size(), 1);
  EXPECT_EQ(Summary(first.messages(0)), "mixed+custom:badge");
  EXPECT_FALSE(first.is_finished());
  tim::v1::GetMessagesResponse second;
  ASSERT_TRUE(Page({tim::v1::ELEM_CUSTOM}, 1, first.next_before_seq(), &second).ok());
  ASSERT_EQ(second.messages_size(), 1);
  EXPECT_EQ(Summary(second.messages(0)), "custom:card");
  EXPECT_TRUE(second.is_finished());

  tim::v1::GetMessagesResponse refused;
  auto status = Page({tim::v1::ELEM_INVALID}, 5, 0, &refused);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(TimCodeOf(status), 6017);
}

TEST_F(HistoryTypeFilterTest, SearchSelectsByTypeWithOrWithoutKeywords) {
  EXPECT_EQ(Found({}, {tim::v1::ELEM_IMAGE}), (Strings{"image"}));
  EXPECT_EQ(Found({}, {tim::v1::ELEM_LOCATION}), (Strings{"location:Pier 3"}));
  EXPECT_EQ(Found({}, {tim::v1::ELEM_CUSTOM}), (Strings{"mixed+custom:badge", "custom:card"}));
  EXPECT_EQ(Found({"plain"}, {tim::v1::ELEM_TEXT}), (Strings{"plain two", "plain one"}));
  // A location's searchable text is its fallback body, "geo:LAT,LON".
  EXPECT_EQ(Found({"geo:52.5"}, {tim::v1::ELEM_LOCATION}), (Strings{"location:Pier 3"}));
  EXPECT_EQ(Found({"geo:52.5"}, {tim::v1::ELEM_TEXT}), Strings{});

  // Every conversation: alice's, with its one image.
  tim::v1::SearchLocalMessagesResponse all;
  ASSERT_TRUE(Search({}, {tim::v1::ELEM_IMAGE}, false, &all).ok());
  EXPECT_EQ(all.total_count(), 1u);
  ASSERT_EQ(all.items_size(), 1);
  EXPECT_EQ(all.items(0).conv_id(), "alice");
  EXPECT_EQ(all.items(0).total_message_count(), 1u);
  ASSERT_EQ(all.items(0).messages_size(), 1);
  EXPECT_EQ(Summary(all.items(0).messages(0)), "image");

  tim::v1::SearchLocalMessagesResponse refused;
  auto status = Search({}, {}, true, &refused);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(TimCodeOf(status), 6017);
  status = Search({"plain"}, {tim::v1::ELEM_INVALID}, true, &refused);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(TimCodeOf(status), 6017);
}

}  // namespace
}  // namespace timd::test
