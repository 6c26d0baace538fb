// MessageJson / MessageArrayJson: TIM Message and element keys (reference §5.1, §5.2).
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>

#include <nlohmann/json.hpp>

#include "tim_json.h"

namespace {

using nlohmann::json;
constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();

tim::v1::Message SampleMessage() {
  tim::v1::Message m;
  m.set_msg_id("origin-1");
  m.set_conv_id("bob");
  m.set_conv_type(tim::v1::CONV_C2C);
  m.set_sender("bob");
  m.set_client_time(1700000000);
  m.set_server_time(1700000001);
  m.set_is_from_self(false);
  m.set_is_read(true);
  m.set_is_online_msg(false);
  m.set_is_peer_read(true);
  m.set_status(tim::v1::MSG_SEND_SUCC);
  m.set_unique_id(kMax);
  m.set_rand(kMax - 1);
  m.set_seq(42);
  m.set_cloud_custom_str("cloud");
  m.set_need_read_receipt(true);
  m.set_priority(1);
  m.set_platform(3);
  auto* e = m.add_elems();
  e->set_type(tim::v1::ELEM_TEXT);
  e->mutable_text()->set_content("héllo");
  return m;
}

TEST(ClientJsonMessage, AllMessageKeys) {
  json j = json::parse(timclient::MessageJson(SampleMessage()));
  ASSERT_TRUE(j.is_object());
  EXPECT_EQ(j["message_msg_id"], "origin-1");
  EXPECT_EQ(j["message_conv_id"], "bob");
  EXPECT_EQ(j["message_conv_type"], 1);
  EXPECT_EQ(j["message_sender"], "bob");
  EXPECT_EQ(j["message_client_time"], 1700000000u);
  EXPECT_EQ(j["message_server_time"], 1700000001u);
  EXPECT_EQ(j["message_is_from_self"], false);
  EXPECT_EQ(j["message_is_read"], true);
  EXPECT_EQ(j["message_is_online_msg"], false);
  EXPECT_EQ(j["message_is_peer_read"], true);
  EXPECT_EQ(j["message_status"], 2);
  EXPECT_EQ(j["message_unique_id"].get<uint64_t>(), kMax);
  EXPECT_EQ(j["message_rand"].get<uint64_t>(), kMax - 1);
  EXPECT_EQ(j["message_seq"], 42u);
  EXPECT_EQ(j["message_cloud_custom_str"], "cloud");
  EXPECT_EQ(j["message_need_read_receipt"], true);
  EXPECT_EQ(j["message_priority"], 1);
  EXPECT_EQ(j["message_platform"], 3);
  ASSERT_TRUE(j["message_elem_array"].is_array());
  ASSERT_EQ(j["message_elem_array"].size(), 1u);
  EXPECT_EQ(j["message_elem_array"][0]["elem_type"], 0);
  EXPECT_EQ(j["message_elem_array"][0]["text_elem_content"], "héllo");
}

TEST(ClientJsonMessage, Uint64IsAnExactJsonNumber) {
  std::string text = timclient::MessageJson(SampleMessage());
  EXPECT_NE(text.find("\"message_unique_id\":18446744073709551615"), std::string::npos) << text;
  EXPECT_NE(text.find("\"message_rand\":18446744073709551614"), std::string::npos) << text;
}

TEST(ClientJsonMessage, UnspecifiedStatusIsSendSucc) {
  tim::v1::Message m;
  EXPECT_EQ(json::parse(timclient::MessageJson(m))["message_status"], 2);
  m.set_status(tim::v1::MSG_REVOKED);
  EXPECT_EQ(json::parse(timclient::MessageJson(m))["message_status"], 6);
}

TEST(ClientJsonMessage, EveryElementKind) {
  tim::v1::Message m;
  auto* custom = m.add_elems();
  custom->set_type(tim::v1::ELEM_CUSTOM);
  custom->mutable_custom()->set_data("data");
  custom->mutable_custom()->set_desc("desc");
  custom->mutable_custom()->set_ext("ext");
  custom->mutable_custom()->set_sound("sound");
  auto* image = m.add_elems();
  image->set_type(tim::v1::ELEM_IMAGE);
  image->mutable_file()->set_url("https://u/i.png");
  image->mutable_file()->set_media_type("image/png");
  image->mutable_file()->set_width(640);
  image->mutable_file()->set_height(480);
  image->mutable_file()->set_file_size(kMax);
  image->mutable_file()->set_id("img1");
  auto* sound = m.add_elems();
  sound->set_type(tim::v1::ELEM_SOUND);
  sound->mutable_file()->set_url("https://u/s.ogg");
  sound->mutable_file()->set_duration_s(7);
  sound->mutable_file()->set_file_size(99);
  auto* file = m.add_elems();
  file->set_type(tim::v1::ELEM_FILE);
  file->mutable_file()->set_file_name("a.txt");
  file->mutable_file()->set_local_path("/tmp/a.txt");
  file->mutable_file()->set_url("https://u/a.txt");
  auto* video = m.add_elems();
  video->set_type(tim::v1::ELEM_VIDEO);
  video->mutable_file()->set_media_type("video/mp4");
  video->mutable_file()->set_duration_s(12);
  video->mutable_file()->set_url("https://u/v.mp4");
  auto* snapshot = video->mutable_file()->mutable_snapshot();
  snapshot->set_url("https://u/v.jpg");
  snapshot->set_id("snap1");
  snapshot->set_media_type("image/jpeg");
  snapshot->set_file_size(321);
  snapshot->set_width(160);
  snapshot->set_height(90);
  snapshot->set_local_path("/tmp/v.jpg");
  auto* loc = m.add_elems();
  loc->set_type(tim::v1::ELEM_LOCATION);
  loc->mutable_location()->set_desc("here");
  loc->mutable_location()->set_longitude(113.25);
  loc->mutable_location()->set_latitude(-22.5);
  auto* face = m.add_elems();
  face->set_type(tim::v1::ELEM_FACE);
  face->mutable_face()->set_index(5);
  face->mutable_face()->set_data("buf");
  auto* report = m.add_elems();
  report->set_type(tim::v1::ELEM_GROUP_REPORT);
  report->mutable_group_report()->set_report_type(4);
  report->mutable_group_report()->set_group_id("team");
  report->mutable_group_report()->set_op_user("owner");
  report->mutable_group_report()->set_msg("bye");
  auto* tips = m.add_elems();
  tips->set_type(tim::v1::ELEM_GROUP_TIPS);
  tips->mutable_group_tips()->set_tip_type(1);
  tips->mutable_group_tips()->set_group_id("team");
  auto* invalid = m.add_elems();
  invalid->set_type(tim::v1::ELEM_INVALID);

  json a = json::parse(timclient::MessageJson(m))["message_elem_array"];
  ASSERT_EQ(a.size(), 10u);
  EXPECT_EQ(a[0]["elem_type"], 3);
  EXPECT_EQ(a[0]["custom_elem_data"], "data");
  EXPECT_EQ(a[0]["custom_elem_desc"], "desc");
  EXPECT_EQ(a[0]["custom_elem_ext"], "ext");
  EXPECT_EQ(a[0]["custom_elem_sound"], "sound");
  EXPECT_EQ(a[1]["elem_type"], 1);
  EXPECT_EQ(a[1]["image_elem_orig_url"], "https://u/i.png");
  EXPECT_EQ(a[1]["image_elem_format"], 3);
  EXPECT_EQ(a[1]["image_elem_orig_pic_width"], 640);
  EXPECT_EQ(a[1]["image_elem_orig_pic_height"], 480);
  EXPECT_EQ(a[1]["image_elem_orig_pic_size"].get<uint64_t>(), kMax);
  EXPECT_EQ(a[1]["image_elem_orig_id"], "img1");
  // No thumbnails over XMPP: the thumb and large levels are the original.
  for (const char* level : {"thumb", "large"}) {
    const std::string prefix = std::string("image_elem_") + level;
    EXPECT_EQ(a[1][prefix + "_url"], "https://u/i.png") << level;
    EXPECT_EQ(a[1][prefix + "_id"], "img1") << level;
    EXPECT_EQ(a[1][prefix + "_pic_width"], 640) << level;
    EXPECT_EQ(a[1][prefix + "_pic_height"], 480) << level;
    EXPECT_EQ(a[1][prefix + "_pic_size"].get<uint64_t>(), kMax) << level;
  }
  EXPECT_EQ(a[2]["elem_type"], 2);
  EXPECT_EQ(a[2]["sound_elem_url"], "https://u/s.ogg");
  EXPECT_EQ(a[2]["sound_elem_file_time"], 7);
  EXPECT_EQ(a[2]["sound_elem_file_size"], 99);
  EXPECT_EQ(a[3]["elem_type"], 4);
  EXPECT_EQ(a[3]["file_elem_file_name"], "a.txt");
  EXPECT_EQ(a[3]["file_elem_file_path"], "/tmp/a.txt");
  EXPECT_EQ(a[3]["file_elem_url"], "https://u/a.txt");
  EXPECT_EQ(a[4]["elem_type"], 9);
  EXPECT_EQ(a[4]["video_elem_video_type"], "mp4");
  EXPECT_EQ(a[4]["video_elem_video_duration"], 12);
  EXPECT_EQ(a[4]["video_elem_video_url"], "https://u/v.mp4");
  EXPECT_EQ(a[4]["video_elem_image_url"], "https://u/v.jpg");
  EXPECT_EQ(a[4]["video_elem_image_id"], "snap1");
  EXPECT_EQ(a[4]["video_elem_image_type"], "jpeg");
  EXPECT_EQ(a[4]["video_elem_image_size"], 321);
  EXPECT_EQ(a[4]["video_elem_image_width"], 160);
  EXPECT_EQ(a[4]["video_elem_image_height"], 90);
  EXPECT_EQ(a[4]["video_elem_image_path"], "/tmp/v.jpg");
  EXPECT_EQ(a[5]["elem_type"], 7);
  EXPECT_EQ(a[5]["location_elem_desc"], "here");
  EXPECT_DOUBLE_EQ(a[5]["location_elem_longitude"].get<double>(), 113.25);
  EXPECT_DOUBLE_EQ(a[5]["location_elem_latitude"].get<double>(), -22.5);
  EXPECT_EQ(a[6]["elem_type"], 6);
  EXPECT_EQ(a[6]["face_elem_index"], 5);
  EXPECT_EQ(a[6]["face_elem_buf"], "buf");
  EXPECT_EQ(a[7]["elem_type"], 8);
  EXPECT_EQ(a[7]["group_report_elem_report_type"], 4);
  EXPECT_EQ(a[7]["group_report_elem_group_id"], "team");
  EXPECT_EQ(a[7]["group_report_elem_op_user"], "owner");
  EXPECT_EQ(a[7]["group_report_elem_msg"], "bye");
  EXPECT_EQ(a[8]["elem_type"], 5);
  EXPECT_EQ(a[8]["group_tips_elem_tip_type"], 1);
  EXPECT_EQ(a[8]["group_tips_elem_group_id"], "team");
  EXPECT_EQ(a[9]["elem_type"], -1);
}

TEST(ClientJsonMessage, BinaryCustomDataStillGivesValidJson) {
  tim::v1::Message m;
  auto* custom = m.add_elems();
  custom->set_type(tim::v1::ELEM_CUSTOM);
  custom->mutable_custom()->set_data(std::string("\xff\xfe\x00x", 4));
  std::string text = timclient::MessageJson(m);
  json j = json::parse(text);
  EXPECT_TRUE(j["message_elem_array"][0]["custom_elem_data"].is_string());
}

// A video another XMPP client shared with an XEP-0264 thumbnail: its
// snapshot has a URL, type and dimensions but no size, path or hash.
TEST(ClientJsonMessage, SnapshotFromAnotherClientsThumbnail) {
  tim::v1::Message m;
  auto* video = m.add_elems();
  video->set_type(tim::v1::ELEM_VIDEO);
  video->mutable_file()->set_url("https://h/v.webm");
  video->mutable_file()->set_media_type("video/webm");
  auto* snapshot = video->mutable_file()->mutable_snapshot();
  snapshot->set_url("https://h/t.jpg");
  snapshot->set_id("0123456789012345678901234567890123456789");
  snapshot->set_media_type("image/jpeg");
  snapshot->set_width(320);
  snapshot->set_height(180);
  const json e = json::parse(timclient::MessageJson(m))["message_elem_array"][0];
  EXPECT_EQ(e["video_elem_video_url"], "https://h/v.webm");
  EXPECT_EQ(e["video_elem_image_url"], "https://h/t.jpg");
  EXPECT_EQ(e["video_elem_image_id"], snapshot->id());
  EXPECT_EQ(e["video_elem_image_type"], "jpeg");
  EXPECT_EQ(e["video_elem_image_width"], 320);
  EXPECT_EQ(e["video_elem_image_height"], 180);
  EXPECT_EQ(e["video_elem_image_size"], 0);
  EXPECT_EQ(e["video_elem_image_path"], "");
}

TEST(ClientJsonMessage, ArrayKeepsOrder) {
  google::protobuf::RepeatedPtrField<tim::v1::Message> msgs;
  *msgs.Add() = SampleMessage();
  msgs.Add()->set_msg_id("second");
  json a = json::parse(timclient::MessageArrayJson(msgs));
  ASSERT_TRUE(a.is_array());
  ASSERT_EQ(a.size(), 2u);
  EXPECT_EQ(a[0]["message_msg_id"], "origin-1");
  EXPECT_EQ(a[1]["message_msg_id"], "second");
  EXPECT_EQ(timclient::MessageArrayJson({}), "[]");
}

}  // namespace
