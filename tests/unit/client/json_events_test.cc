// Event payloads: conversations, receipts, revokes, group tips, friends
// (reference §3, §5.3 to §5.8).
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>

#include <nlohmann/json.hpp>

#include "tim_json.h"

namespace {

using nlohmann::json;
constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();

tim::v1::Conversation SampleConv() {
  tim::v1::Conversation c;
  c.set_conv_id("bob");
  c.set_conv_type(tim::v1::CONV_C2C);
  c.set_unread_num(kMax);
  c.set_active_time(4611686018427387909ULL);
  c.set_is_has_last_msg(true);
  c.mutable_last_msg()->set_msg_id("m1");
  c.set_show_name("Bob");
  c.set_face_url("https://f");
  c.set_is_pinned(true);
  c.set_c2c_read_timestamp(1700000000);
  return c;
}

TEST(ClientJsonEvents, ConvArrayKeys) {
  google::protobuf::RepeatedPtrField<tim::v1::Conversation> convs;
  *convs.Add() = SampleConv();
  std::string text = timclient::ConvArrayJson(convs);
  EXPECT_NE(text.find("\"conv_active_time\":4611686018427387909"), std::string::npos) << text;
  json a = json::parse(text);
  ASSERT_TRUE(a.is_array());
  ASSERT_EQ(a.size(), 1u);
  json c = a[0];
  EXPECT_EQ(c["conv_id"], "bob");
  EXPECT_EQ(c["conv_type"], 1);
  EXPECT_EQ(c["conv_unread_num"].get<uint64_t>(), kMax);
  EXPECT_EQ(c["conv_active_time"].get<uint64_t>(), 4611686018427387909ULL);
  EXPECT_EQ(c["conv_is_has_lastmsg"], true);
  EXPECT_EQ(c["conv_last_msg"]["message_msg_id"], "m1");
  EXPECT_EQ(c["conv_show_name"], "Bob");
  EXPECT_EQ(c["conv_face_url"], "https://f");
  EXPECT_EQ(c["conv_is_pinned"], true);
  EXPECT_EQ(c["conv_c2c_read_timestamp"], 1700000000u);
}

TEST(ClientJsonEvents, ConvWithoutLastMessageHasNoLastMsgKey) {
  google::protobuf::RepeatedPtrField<tim::v1::Conversation> convs;
  convs.Add()->set_conv_id("team");
  json c = json::parse(timclient::ConvArrayJson(convs))[0];
  EXPECT_EQ(c["conv_is_has_lastmsg"], false);
  EXPECT_FALSE(c.contains("conv_last_msg"));
}

TEST(ClientJsonEvents, ConvEventStartAndFinishAreEmptyStrings) {
  tim::v1::ConvEvent ev;
  *ev.add_conversations() = SampleConv();
  ev.set_type(tim::v1::CONV_EVENT_START);
  EXPECT_EQ(timclient::ConvEventJson(ev), "");
  ev.set_type(tim::v1::CONV_EVENT_FINISH);
  EXPECT_EQ(timclient::ConvEventJson(ev), "");
  for (auto type : {tim::v1::CONV_EVENT_ADD, tim::v1::CONV_EVENT_DEL, tim::v1::CONV_EVENT_UPDATE}) {
    ev.set_type(type);
    json a = json::parse(timclient::ConvEventJson(ev));
    ASSERT_TRUE(a.is_array());
    EXPECT_EQ(a[0]["conv_id"], "bob");
  }
  tim::v1::ConvEvent empty_update;
  empty_update.set_type(tim::v1::CONV_EVENT_UPDATE);
  EXPECT_EQ(timclient::ConvEventJson(empty_update), "[]");
}

TEST(ClientJsonEvents, ReceiptKeys) {
  google::protobuf::RepeatedPtrField<tim::v1::MessageReceipt> receipts;
  auto* r = receipts.Add();
  r->set_conv_id("team");
  r->set_conv_type(tim::v1::CONV_GROUP);
  r->set_msg_id("m9");
  r->set_time_stamp(kMax);
  r->set_is_peer_read(true);
  r->set_read_count(3);
  r->set_unread_count(kMax);
  json o = json::parse(timclient::ReceiptArrayJson(receipts))[0];
  EXPECT_EQ(o["msg_receipt_conv_id"], "team");
  EXPECT_EQ(o["msg_receipt_conv_type"], 2);
  EXPECT_EQ(o["msg_receipt_msg_id"], "m9");
  EXPECT_EQ(o["msg_receipt_time_stamp"].get<uint64_t>(), kMax);
  EXPECT_EQ(o["msg_receipt_is_peer_read"], true);
  EXPECT_EQ(o["msg_receipt_read_count"], 3u);
  EXPECT_EQ(o["msg_receipt_unread_count"].get<uint64_t>(), kMax);
}

TEST(ClientJsonEvents, RevokeInfoKeys) {
  google::protobuf::RepeatedPtrField<tim::v1::MessageLocator> locators;
  auto* l = locators.Add();
  l->set_conv_id("bob");
  l->set_conv_type(tim::v1::CONV_C2C);
  l->set_is_revoked(true);
  l->set_time(1700000000);
  l->set_seq(kMax);
  l->set_is_self(false);
  l->set_rand(kMax - 5);
  l->set_unique_id(kMax - 7);
  l->set_msg_id("m3");
  l->set_revoker_user_id("bob");
  l->set_revoke_reason("typo");
  json o = json::parse(timclient::LocatorArrayJson(locators))[0];
  EXPECT_EQ(o["message_locator_conv_id"], "bob");
  EXPECT_EQ(o["message_locator_conv_type"], 1);
  EXPECT_EQ(o["message_locator_is_revoked"], true);
  EXPECT_EQ(o["message_locator_time"], 1700000000u);
  EXPECT_EQ(o["message_locator_seq"].get<uint64_t>(), kMax);
  EXPECT_EQ(o["message_locator_is_self"], false);
  EXPECT_EQ(o["message_locator_rand"].get<uint64_t>(), kMax - 5);
  EXPECT_EQ(o["message_locator_unique_id"].get<uint64_t>(), kMax - 7);
  EXPECT_EQ(o["message_msg_id"], "m3");
  EXPECT_EQ(o["message_revoker_user_id"], "bob");
  EXPECT_EQ(o["message_revoke_reason"], "typo");
  EXPECT_EQ(o["message_revoker_nick_name"], "");
  EXPECT_EQ(o["message_revoker_face_url"], "");

  google::protobuf::RepeatedPtrField<tim::v1::MessageLocator> no_id;
  no_id.Add();
  EXPECT_FALSE(json::parse(timclient::LocatorArrayJson(no_id))[0].contains("message_msg_id"));
}

TEST(ClientJsonEvents, GroupTipIsOneObject) {
  tim::v1::GroupTipsElem tip;
  tip.set_tip_type(6);
  tip.set_group_id("team");
  tip.set_group_name("Team");
  tip.set_op_user("alice");
  tip.add_user_array("bob");
  tip.add_user_array("carol");
  auto* mc = tip.add_member_change_info_array();
  mc->set_user_id("bob");
  mc->set_shutup_time(600);
  tip.set_time(kMax);
  tip.set_platform("Linux");
  tip.set_member_num(3);
  (*tip.mutable_group_change_info())["name"] = "New";
  (*tip.mutable_group_change_info())["8"] = "true";
  (*tip.mutable_group_change_info())["group_add_opt"] = "2";
  (*tip.mutable_group_change_info())["default_permissions"] = "18446744073709551615";
  (*tip.mutable_group_change_info())["color"] = "blue";

  json t = json::parse(timclient::GroupTipJson(tip));
  ASSERT_TRUE(t.is_object());
  EXPECT_EQ(t["group_tips_elem_tip_type"], 6);
  EXPECT_EQ(t["group_tips_elem_group_id"], "team");
  EXPECT_EQ(t["group_tips_elem_group_name"], "Team");
  EXPECT_EQ(t["group_tips_elem_op_user"], "alice");
  EXPECT_EQ(t["group_tips_elem_user_array"], json({"bob", "carol"}));
  EXPECT_EQ(t["group_tips_elem_time"].get<uint64_t>(), kMax);
  EXPECT_EQ(t["group_tips_elem_platform"], "Linux");
  EXPECT_EQ(t["group_tips_elem_member_num"], 3);
  ASSERT_EQ(t["group_tips_elem_member_change_info_array"].size(), 1u);
  EXPECT_EQ(t["group_tips_elem_member_change_info_array"][0]["group_tips_member_change_info_identifier"], "bob");
  EXPECT_EQ(t["group_tips_elem_member_change_info_array"][0]["group_tips_member_change_info_shutupTime"], 600);

  // Sorted by map key: "8", "color", "default_permissions", "group_add_opt", "name".
  json changes = t["group_tips_elem_group_change_info_array"];
  ASSERT_EQ(changes.size(), 5u);
  EXPECT_EQ(changes[0]["group_tips_group_change_info_flag"], 8);
  EXPECT_EQ(changes[0]["group_tips_group_change_info_bool_value"], true);
  EXPECT_EQ(changes[1]["group_tips_group_change_info_flag"], 6);
  EXPECT_EQ(changes[1]["group_tips_group_change_info_key"], "color");
  EXPECT_EQ(changes[1]["group_tips_group_change_info_value"], "blue");
  EXPECT_EQ(changes[2]["group_tips_group_change_info_flag"], 14);
  EXPECT_EQ(changes[2]["group_tips_group_change_info_uint64_value"].get<uint64_t>(), kMax);
  EXPECT_EQ(changes[3]["group_tips_group_change_info_flag"], 11);
  EXPECT_EQ(changes[3]["group_tips_group_change_info_int_value"], 2);
  EXPECT_EQ(changes[4]["group_tips_group_change_info_flag"], 1);
  EXPECT_EQ(changes[4]["group_tips_group_change_info_value"], "New");
  EXPECT_FALSE(changes[4].contains("group_tips_group_change_info_key"));
}

TEST(ClientJsonEvents, UserIdArray) {
  google::protobuf::RepeatedPtrField<std::string> ids;
  EXPECT_EQ(timclient::UserIdArrayJson(ids), "[]");
  *ids.Add() = "user15";
  *ids.Add() = "bob@other.example";
  EXPECT_EQ(json::parse(timclient::UserIdArrayJson(ids)), json({"user15", "bob@other.example"}));
}

TEST(ClientJsonEvents, FriendProfileUpdateKeys) {
  google::protobuf::RepeatedPtrField<tim::v1::FriendProfileUpdate> updates;
  auto* u = updates.Add();
  u->set_user_id("bob");
  u->mutable_item()->set_remark("Bobby");
  u->mutable_item()->add_group_names("Work");
  u->mutable_item()->add_group_names("Chess");
  json o = json::parse(timclient::FriendProfileUpdateArrayJson(updates))[0];
  EXPECT_EQ(o["friend_profile_update_identifier"], "bob");
  EXPECT_EQ(o["friend_profile_update_item"]["friend_profile_item_remark"], "Bobby");
  EXPECT_EQ(o["friend_profile_update_item"]["friend_profile_item_group_name_array"], json({"Work", "Chess"}));
}

TEST(ClientJsonEvents, FriendAddPendencyKeys) {
  google::protobuf::RepeatedPtrField<tim::v1::FriendAddPendency> pendencies;
  auto* p = pendencies.Add();
  p->set_type(0);
  p->set_user_id("dave");
  p->set_source("AddSource_Type_xmpp");
  p->set_wording("hi");
  p->set_nick_name("Dave");
  p->set_add_time(kMax);
  json o = json::parse(timclient::FriendAddPendencyArrayJson(pendencies))[0];
  EXPECT_EQ(o["friend_add_pendency_type"], 0);
  EXPECT_EQ(o["friend_add_pendency_identifier"], "dave");
  EXPECT_EQ(o["friend_add_pendency_add_source"], "AddSource_Type_xmpp");
  EXPECT_EQ(o["friend_add_pendency_add_wording"], "hi");
  EXPECT_EQ(o["friend_add_pendency_nick_name"], "Dave");
  EXPECT_EQ(o["friend_add_pendency_add_time"].get<uint64_t>(), kMax);
}

}  // namespace
