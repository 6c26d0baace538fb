// Event payloads other than messages: conversations, receipts, revokes, group
// tips and friends (reference §3, §5.3 to §5.8).
#include <algorithm>
#include <charconv>
#include <map>
#include <utility>
#include <vector>

#include "json_internal.h"

namespace timclient {
namespace internal {
namespace {

// TIMGroupTipGroupChangeFlag values used below.
enum ChangeFlag : int {
  kFlagCustom = 6,
  kFlagShutupAll = 8,
  kFlagMessageReceiveOpt = 10,
  kFlagGroupAddOpt = 11,
  kFlagGroupApproveOpt = 12,
  kFlagEnablePermissionGroup = 13,
  kFlagDefaultPermissions = 14,
  kFlagMax = 17,
};

const std::map<std::string, int, std::less<>>& FlagNames() {
  static const std::map<std::string, int, std::less<>> names = {
      {"name", 1},
      {"introduction", 2},
      {"notification", 3},
      {"face_url", 4},
      {"owner", 5},
      {"attribute", 7},
      {"shutup_all", kFlagShutupAll},
      {"message_receive_opt", kFlagMessageReceiveOpt},
      {"group_add_opt", kFlagGroupAddOpt},
      {"group_approve_opt", kFlagGroupApproveOpt},
      {"enable_permission_group", kFlagEnablePermissionGroup},
      {"default_permissions", kFlagDefaultPermissions},
  };
  return names;
}

// Flag for a group_change_info key; nullopt means a custom field.
std::optional<int> FlagForKey(const std::string& key) {
  int flag = 0;
  auto [end, ec] = std::from_chars(key.data(), key.data() + key.size(), flag);
  if (ec == std::errc() && end == key.data() + key.size() && flag >= 0 && flag <= kFlagMax) return flag;
  auto it = FlagNames().find(key);
  if (it != FlagNames().end()) return it->second;
  return std::nullopt;
}

template <typename T>
std::optional<T> ParseNumber(const std::string& text) {
  T value{};
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

Json ChangeInfoObject(const std::string& key, const std::string& value) {
  Json c = Json::object();
  std::optional<int> flag = FlagForKey(key);
  c["group_tips_group_change_info_flag"] = flag.value_or(kFlagCustom);
  c["group_tips_group_change_info_value"] = value;
  if (!flag || *flag == kFlagCustom) c["group_tips_group_change_info_key"] = key;
  if (!flag) return c;
  switch (*flag) {
    case kFlagShutupAll:
    case kFlagEnablePermissionGroup:
      c["group_tips_group_change_info_bool_value"] = value == "true" || value == "1";
      break;
    case kFlagMessageReceiveOpt:
    case kFlagGroupAddOpt:
    case kFlagGroupApproveOpt:
      if (auto n = ParseNumber<int64_t>(value)) c["group_tips_group_change_info_int_value"] = *n;
      break;
    case kFlagDefaultPermissions:
      if (auto n = ParseNumber<uint64_t>(value)) c["group_tips_group_change_info_uint64_value"] = *n;
      break;
    default:
      break;
  }
  return c;
}

Json ConvObject(const tim::v1::Conversation& conv) {
  Json c = Json::object();
  c["conv_id"] = conv.conv_id();
  c["conv_type"] = ConvTypeNumber(conv.conv_type());
  c["conv_unread_num"] = conv.unread_num();
  c["conv_active_time"] = conv.active_time();
  c["conv_is_has_lastmsg"] = conv.is_has_last_msg();
  if (conv.is_has_last_msg() || conv.has_last_msg()) c["conv_last_msg"] = MessageObject(conv.last_msg());
  c["conv_show_name"] = conv.show_name();
  c["conv_face_url"] = conv.face_url();
  c["conv_is_pinned"] = conv.is_pinned();
  c["conv_c2c_read_timestamp"] = conv.c2c_read_timestamp();
  c["conv_is_has_draft"] = conv.is_has_draft();
  if (conv.is_has_draft()) {
    c["conv_draft"] = {{"draft_msg", MessageObject(conv.draft().msg())},
                       {"draft_user_define", conv.draft().user_define()},
                       {"draft_edit_time", conv.draft().edit_time()}};
  }
  c["conv_mark_array"] = Json::array();
  for (uint64_t mark : conv.mark_array()) c["conv_mark_array"].push_back(mark);
  c["conv_custom_data"] = conv.custom_data();
  // Kept by TIM, not by timd: receive options, @ info and conversation
  // groups are always their empty values.
  c["conv_recv_opt"] = 0;
  c["conv_group_at_info_array"] = Json::array();
  c["conv_conversation_group_array"] = Json::array();
  c["conv_group_read_sequence"] = 0;
  return c;
}

template <typename T, typename F>
std::string ArrayJson(const Repeated<T>& items, F&& to_object) {
  Json a = Json::array();
  for (const auto& item : items) a.push_back(to_object(item));
  return Dump(a);
}

}  // namespace

Json GroupTipObject(const tim::v1::GroupTipsElem& tip) {
  Json t = Json::object();
  t["group_tips_elem_tip_type"] = tip.tip_type();
  t["group_tips_elem_group_id"] = tip.group_id();
  t["group_tips_elem_group_name"] = tip.group_name();
  t["group_tips_elem_op_user"] = tip.op_user();
  t["group_tips_elem_user_array"] = Json::array();
  for (const auto& user : tip.user_array()) t["group_tips_elem_user_array"].push_back(user);
  // Protobuf map order is unspecified; sort for stable output.
  std::vector<std::pair<std::string, std::string>> changes(tip.group_change_info().begin(),
                                                           tip.group_change_info().end());
  std::sort(changes.begin(), changes.end());
  t["group_tips_elem_group_change_info_array"] = Json::array();
  for (const auto& [key, value] : changes) {
    t["group_tips_elem_group_change_info_array"].push_back(ChangeInfoObject(key, value));
  }
  t["group_tips_elem_member_change_info_array"] = Json::array();
  for (const auto& change : tip.member_change_info_array()) {
    t["group_tips_elem_member_change_info_array"].push_back(
        {{"group_tips_member_change_info_identifier", change.user_id()},
         {"group_tips_member_change_info_shutupTime", change.shutup_time()}});
  }
  t["group_tips_elem_time"] = tip.time();
  t["group_tips_elem_platform"] = tip.platform();
  t["group_tips_elem_member_num"] = tip.member_num();
  return t;
}

}  // namespace internal

using internal::Json;

std::string ConvArrayJson(const Repeated<tim::v1::Conversation>& convs) {
  return internal::ArrayJson(convs, internal::ConvObject);
}

std::string ConvJson(const tim::v1::Conversation& conv) { return internal::Dump(internal::ConvObject(conv)); }

std::string ConvEventJson(const tim::v1::ConvEvent& event) {
  if (event.type() == tim::v1::CONV_EVENT_START || event.type() == tim::v1::CONV_EVENT_FINISH) return "";
  return ConvArrayJson(event.conversations());
}

std::string ReceiptArrayJson(const Repeated<tim::v1::MessageReceipt>& receipts) {
  return internal::ArrayJson(receipts, [](const tim::v1::MessageReceipt& r) {
    Json o = Json::object();
    o["msg_receipt_conv_id"] = r.conv_id();
    o["msg_receipt_conv_type"] = internal::ConvTypeNumber(r.conv_type());
    o["msg_receipt_msg_id"] = r.msg_id();
    o["msg_receipt_time_stamp"] = r.time_stamp();
    o["msg_receipt_is_peer_read"] = r.is_peer_read();
    o["msg_receipt_read_count"] = r.read_count();
    o["msg_receipt_unread_count"] = r.unread_count();
    return o;
  });
}

std::string LocatorArrayJson(const Repeated<tim::v1::MessageLocator>& locators) {
  return internal::ArrayJson(locators, [](const tim::v1::MessageLocator& l) {
    Json o = Json::object();
    o["message_locator_conv_id"] = l.conv_id();
    o["message_locator_conv_type"] = internal::ConvTypeNumber(l.conv_type());
    o["message_locator_is_revoked"] = l.is_revoked();
    o["message_locator_time"] = l.time();
    o["message_locator_seq"] = l.seq();
    o["message_locator_is_self"] = l.is_self();
    o["message_locator_rand"] = l.rand();
    o["message_locator_unique_id"] = l.unique_id();
    o["message_revoker_user_id"] = l.revoker_user_id();
    // timd keeps no profiles yet (mapping §8): the keys are there, empty.
    o["message_revoker_nick_name"] = "";
    o["message_revoker_face_url"] = "";
    o["message_revoke_reason"] = l.revoke_reason();
    if (!l.msg_id().empty()) o["message_msg_id"] = l.msg_id();
    return o;
  });
}

std::string GroupTipJson(const tim::v1::GroupTipsElem& tip) { return internal::Dump(internal::GroupTipObject(tip)); }

std::string UserIdArrayJson(const Repeated<std::string>& ids) {
  Json a = Json::array();
  for (const auto& id : ids) a.push_back(id);
  return internal::Dump(a);
}

std::string FriendProfileUpdateArrayJson(const Repeated<tim::v1::FriendProfileUpdate>& updates) {
  return internal::ArrayJson(updates, [](const tim::v1::FriendProfileUpdate& u) {
    Json groups = Json::array();
    for (const auto& g : u.item().group_names()) groups.push_back(g);
    Json item = Json::object();
    item["friend_profile_item_remark"] = u.item().remark();
    item["friend_profile_item_group_name_array"] = std::move(groups);
    Json o = Json::object();
    o["friend_profile_update_identifier"] = u.user_id();
    o["friend_profile_update_item"] = std::move(item);
    return o;
  });
}

std::string FriendAddPendencyArrayJson(const Repeated<tim::v1::FriendAddPendency>& pendencies) {
  return internal::ArrayJson(pendencies, [](const tim::v1::FriendAddPendency& p) {
    Json o = Json::object();
    o["friend_add_pendency_type"] = p.type();
    o["friend_add_pendency_identifier"] = p.user_id();
    o["friend_add_pendency_nick_name"] = p.nick_name();
    o["friend_add_pendency_add_time"] = p.add_time();
    o["friend_add_pendency_add_source"] = p.source();
    o["friend_add_pendency_add_wording"] = p.wording();
    return o;
  });
}

}  // namespace timclient
