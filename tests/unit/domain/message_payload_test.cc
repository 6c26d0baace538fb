#include "domain/message_payload.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace timd::domain {
namespace {

tim::v1::Message RichMessage() {
  tim::v1::Message m;
  auto* text = m.add_elems();
  text->set_type(tim::v1::ELEM_TEXT);
  text->mutable_text()->set_content("see <this> & that");
  auto* custom = m.add_elems();
  custom->set_type(tim::v1::ELEM_CUSTOM);
  custom->mutable_custom()->set_data(std::string("\x00\xff\x01 bytes", 9));
  custom->mutable_custom()->set_desc("a card");
  custom->mutable_custom()->set_ext("{\"k\":1}");
  auto* face = m.add_elems();
  face->set_type(tim::v1::ELEM_FACE);
  face->mutable_face()->set_index(7);
  auto* location = m.add_elems();
  location->set_type(tim::v1::ELEM_LOCATION);
  location->mutable_location()->set_desc("Pier 3");
  location->mutable_location()->set_latitude(52.52);
  location->mutable_location()->set_longitude(-13.405);
  m.set_cloud_custom_str("app state");
  m.set_need_read_receipt(true);
  return m;
}

TEST(MessagePayload, EveryElementAndFieldRoundTripsExactly) {
  const tim::v1::Message sent = RichMessage();
  const std::string payload = EncodePayload(sent);
  auto received = DecodePayload(payload);
  ASSERT_TRUE(received.ok()) << received.status().message();
  EXPECT_EQ(received.value().SerializeAsString(), sent.SerializeAsString()) << payload;
}

TEST(MessagePayload, UsesTheMappingKeysAndBase64ForBytes) {
  auto json = nlohmann::json::parse(EncodePayload(RichMessage()));
  EXPECT_EQ(json["cloud_custom_str"], "app state");
  EXPECT_EQ(json["need_read_receipt"], true);
  ASSERT_EQ(json["elems"].size(), 4u);
  EXPECT_EQ(json["elems"][1]["type"], 3);  // TIM's element type number
  EXPECT_EQ(json["elems"][1]["custom"]["data"], "AP8BIGJ5dGVz");
}

TEST(MessagePayload, APlainTextNeedsNone) {
  tim::v1::Message m;
  auto* text = m.add_elems();
  text->set_type(tim::v1::ELEM_TEXT);
  text->mutable_text()->set_content("hi");
  EXPECT_TRUE(BodySaysItAll(m));
  EXPECT_EQ(EncodePayload(m), "");
  m.set_need_read_receipt(true);
  EXPECT_NE(EncodePayload(m), "");
}

TEST(MessagePayload, LocalFilePathsNeverLeave) {
  tim::v1::Message m;
  auto* file = m.add_elems();
  file->set_type(tim::v1::ELEM_FILE);
  file->mutable_file()->set_local_path("/home/alice/secret/plan.pdf");
  file->mutable_file()->set_url("https://up.example/plan.pdf");
  EXPECT_EQ(EncodePayload(m).find("/home/alice"), std::string::npos);
  file->set_type(tim::v1::ELEM_VIDEO);
  file->mutable_file()->mutable_snapshot()->set_local_path("/home/alice/secret/still.jpg");
  file->mutable_file()->mutable_snapshot()->set_url("https://up.example/still.jpg");
  const std::string payload = EncodePayload(m);
  EXPECT_EQ(payload.find("/home/alice"), std::string::npos) << payload;
  auto received = DecodePayload(payload);
  ASSERT_TRUE(received.ok()) << received.status().message();
  EXPECT_EQ(received.value().elems(0).file().snapshot().url(), "https://up.example/still.jpg");
}

TEST(MessagePayload, FallbackBodyIsWhatOtherClientsShow) {
  const tim::v1::Message m = RichMessage();
  EXPECT_EQ(FallbackBody(m.elems()), "see <this> & that\na card\n[face]\ngeo:52.520000,-13.405000");
}

TEST(MessagePayload, NewerPeersFieldsAreIgnored) {
  auto m = DecodePayload(R"({"elems":[{"type":6,"face":{"index":2},"sparkle":true}],"future_field":[1]})");
  ASSERT_TRUE(m.ok()) << m.status().message();
  EXPECT_EQ(m.value().elems(0).face().index(), 2);
}

TEST(MessagePayload, HostilePayloadsAreRefusedWithAReason) {
  const std::pair<std::string, std::string> cases[] = {
      {"{not json", "not a message"},
      {R"({"elems":[]})", "0 elements"},
      {R"({"elems":[{"type":5,"group_tips":{"group_id":"g"}}]})", "has type 5"},
      {R"({"elems":[{"type":3,"text":{"content":"x"}}]})", "no body of its type"},
      {R"({"elems":[{"type":4,"file":{"url":"https://u/f","snapshot":{"url":"https://u/s"}}}]})", "only a video"},
      {R"({"elems":[{"type":9,"file":{"url":"https://u/v","snapshot":{}}}]})", "file without a URL"},
      {R"({"elems":[{"type":0,"text":{"content":"\ufffe"}}]})", "element 0"},
      {R"({"elems":[{"type":0,"text":{"content":"x"}}],"cloud_custom_str":"\u0001"})", "cloud_custom_str"},
      {std::string(kMaxPayloadBytes + 1, ' '), "bytes, more than"},
  };
  for (const auto& [payload, reason] : cases) {
    auto m = DecodePayload(payload);
    ASSERT_FALSE(m.ok()) << payload.substr(0, 80);
    EXPECT_EQ(m.status().tim_code(), tim_err::kInvalidMsgElem);
    EXPECT_NE(m.status().message().find(reason), std::string::npos) << m.status().message();
  }
  std::string many = R"({"elems":[)";
  for (int i = 0; i <= kMaxElems; ++i) many += std::string(i ? "," : "") + R"({"type":6,"face":{}})";
  EXPECT_FALSE(DecodePayload(many + "]}").ok());
}

TEST(MessagePayload, AppElementsTimdCannotSendAreUnimplemented) {
  tim::v1::Elem tips;
  tips.set_type(tim::v1::ELEM_GROUP_TIPS);
  tips.mutable_group_tips()->set_group_id("g");
  EXPECT_EQ(CheckElem(tips, 0).code(), Code::kUnimplemented);
  tim::v1::Elem image;  // files are sendable (uploaded first)
  image.set_type(tim::v1::ELEM_IMAGE);
  image.mutable_file()->set_local_path("/tmp/a.png");
  EXPECT_TRUE(CheckElem(image, 0).ok());
  tim::v1::Elem empty_custom;
  empty_custom.set_type(tim::v1::ELEM_CUSTOM);
  EXPECT_EQ(CheckElem(empty_custom, 1).code(), Code::kInvalidArgument);
}

}  // namespace
}  // namespace timd::domain
