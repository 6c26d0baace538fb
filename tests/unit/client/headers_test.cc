// The TIM headers compile as C++ and carry the reference's values
// (tim-c-api-reference.md §2 to §5, §8).
#include <gtest/gtest.h>

#include <cstring>
#include <string_view>
#include <type_traits>

#include "TIMCloud.h"
#include "TIMCloudCallback.h"
#include "TIMCloudComm.h"
#include "TIMCloudDef.h"
#include "TIMConversationManager.h"
#include "TIMErrorCode.h"
#include "TIMFriendshipManager.h"
#include "TIMGroupManager.h"
#include "TIMManager.h"
#include "TIMMessageManager.h"

extern "C" int timd_c99_header_values(int which);

namespace {

using std::is_same_v;

// Exact C types of the fifteen callbacks and TIMCommCallback (§2, §3).
static_assert(is_same_v<TIMCommCallback, void (*)(int32_t, const char*, const char*, const void*)>);
static_assert(is_same_v<TIMRecvNewMsgCallback, void (*)(const char*, const void*)>);
static_assert(is_same_v<TIMMsgReadedReceiptCallback, void (*)(const char*, const void*)>);
static_assert(is_same_v<TIMMsgRevokeCallback, void (*)(const char*, const void*)>);
static_assert(is_same_v<TIMMsgElemUploadProgressCallback,
                        void (*)(const char*, uint32_t, uint32_t, uint32_t, const void*)>);
static_assert(is_same_v<TIMGroupTipsEventCallback, void (*)(const char*, const void*)>);
static_assert(is_same_v<TIMConvEventCallback, void (*)(TIMConvEvent, const char*, const void*)>);
static_assert(is_same_v<TIMNetworkStatusListenerCallback, void (*)(TIMNetworkStatus, int32_t, const char*, const void*)>);
static_assert(is_same_v<TIMKickedOfflineCallback, void (*)(const void*)>);
static_assert(is_same_v<TIMUserSigExpiredCallback, void (*)(const void*)>);
static_assert(is_same_v<TIMOnAddFriendCallback, void (*)(const char*, const void*)>);
static_assert(is_same_v<TIMOnDeleteFriendCallback, void (*)(const char*, const void*)>);
static_assert(is_same_v<TIMUpdateFriendProfileCallback, void (*)(const char*, const void*)>);
static_assert(is_same_v<TIMFriendAddRequestCallback, void (*)(const char*, const void*)>);
static_assert(is_same_v<TIMLogCallback, void (*)(TIMLogLevel, const char*, const void*)>);
static_assert(is_same_v<TIMMsgUpdateCallback, void (*)(const char*, const void*)>);

// Exact signatures of the implemented calls (§6).
static_assert(is_same_v<decltype(&TIMInit), int (*)(uint64_t, const char*)>);
static_assert(is_same_v<decltype(&TIMUninit), int (*)()>);
static_assert(is_same_v<decltype(&TIMGetSDKVersion), const char* (*)()>);
static_assert(is_same_v<decltype(&TIMSetConfig), int (*)(const char*, TIMCommCallback, const void*)>);
static_assert(is_same_v<decltype(&TIMLogin), int (*)(const char*, const char*, TIMCommCallback, const void*)>);
static_assert(is_same_v<decltype(&TIMLogout), int (*)(TIMCommCallback, const void*)>);
static_assert(is_same_v<decltype(&TIMLogoutEx), int (*)(uint32_t, TIMCommCallback, const void*)>);
static_assert(is_same_v<decltype(&TIMGetLoginUserID), int (*)(char*)>);
static_assert(is_same_v<decltype(&TIMGetLoginStatus), TIMLoginStatus (*)()>);
static_assert(is_same_v<decltype(&TIMMsgSendMessage),
                        int (*)(const char*, TIMConvType, const char*, char*, TIMCommCallback, const void*)>);
static_assert(is_same_v<decltype(&TIMMsgSendNewMsg),
                        int (*)(const char*, TIMConvType, const char*, TIMCommCallback, const void*)>);
static_assert(is_same_v<decltype(&TIMMsgGetMsgList),
                        int (*)(const char*, TIMConvType, const char*, TIMCommCallback, const void*)>);
static_assert(is_same_v<decltype(&TIMConvGetConvList), int (*)(TIMCommCallback, const void*)>);
// Read state (tim-c-api-reference.md 6.2, 6.3).
static_assert(is_same_v<decltype(&TIMMsgReportReaded),
                        int (*)(const char*, enum TIMConvType, const char*, TIMCommCallback, const void*)>);
static_assert(is_same_v<decltype(&TIMMsgSendMessageReadReceipts), int (*)(const char*, TIMCommCallback, const void*)>);
static_assert(is_same_v<decltype(&TIMMsgGetMessageReadReceipts), int (*)(const char*, TIMCommCallback, const void*)>);
static_assert(is_same_v<decltype(&TIMConvGetTotalUnreadMessageCount), int (*)(TIMCommCallback, const void*)>);
static_assert(is_same_v<decltype(&TIMConvCleanConversationUnreadMessageCount),
                        int (*)(const char*, uint64_t, uint64_t, TIMCommCallback, const void*)>);
// Unread counts beyond one conversation (tim-c-api-reference.md 3.1, 6.2, 6.3).
static_assert(is_same_v<decltype(&TIMMsgMarkAllMessageAsRead), int (*)(TIMCommCallback, const void*)>);
static_assert(is_same_v<decltype(&TIMConvGetUnreadMessageCountByFilter),
                        int (*)(const char*, TIMCommCallback, const void*)>);
static_assert(is_same_v<decltype(&TIMConvSubscribeUnreadMessageCountByFilter), int (*)(const char*)>);
static_assert(is_same_v<decltype(&TIMConvUnsubscribeUnreadMessageCountByFilter), int (*)(const char*)>);
static_assert(is_same_v<TIMConvTotalUnreadMessageCountChangedCallback, void (*)(int, const void*)>);
static_assert(is_same_v<TIMConvTotalUnreadMessageCountChangedByFilterCallback,
                        void (*)(const char*, int, const void*)>);
static_assert(is_same_v<decltype(&TIMSetConvTotalUnreadMessageCountChangedCallback),
                        void (*)(TIMConvTotalUnreadMessageCountChangedCallback, const void*)>);
static_assert(is_same_v<decltype(&TIMSetConvUnreadMessageCountChangedByFilterCallback),
                        void (*)(TIMConvTotalUnreadMessageCountChangedByFilterCallback, const void*)>);
// Conversation calls (tim-c-api-reference.md 6.3).
static_assert(is_same_v<decltype(&TIMConvDelete),
                        int (*)(const char*, enum TIMConvType, TIMCommCallback, const void*)>);
static_assert(is_same_v<decltype(&TIMConvDeleteConversationList),
                        int (*)(const char*, bool, TIMCommCallback, const void*)>);
static_assert(is_same_v<decltype(&TIMConvGetConvInfo), int (*)(const char*, TIMCommCallback, const void*)>);
static_assert(is_same_v<decltype(&TIMConvGetConversationListByFilter),
                        int (*)(const char*, uint64_t, uint32_t, TIMCommCallback, const void*)>);
static_assert(is_same_v<decltype(&TIMConvSetDraft), int (*)(const char*, enum TIMConvType, const char*)>);
static_assert(is_same_v<decltype(&TIMConvCancelDraft), int (*)(const char*, enum TIMConvType)>);
static_assert(is_same_v<decltype(&TIMConvPinConversation),
                        int (*)(const char*, enum TIMConvType, bool, TIMCommCallback, const void*)>);
static_assert(is_same_v<decltype(&TIMConvMarkConversation),
                        int (*)(const char*, uint64_t, bool, TIMCommCallback, const void*)>);
static_assert(is_same_v<decltype(&TIMConvSetConversationCustomData),
                        int (*)(const char*, const char*, TIMCommCallback, const void*)>);
static_assert(is_same_v<decltype(&TIMAddRecvNewMsgCallback), void (*)(TIMRecvNewMsgCallback, const void*)>);
static_assert(is_same_v<decltype(&TIMRemoveRecvNewMsgCallback), void (*)(TIMRecvNewMsgCallback)>);
static_assert(is_same_v<decltype(&TIMSetMsgReadedReceiptCallback), void (*)(TIMMsgReadedReceiptCallback, const void*)>);
static_assert(is_same_v<decltype(&TIMSetMsgRevokeCallback), void (*)(TIMMsgRevokeCallback, const void*)>);
static_assert(is_same_v<decltype(&TIMSetMsgElemUploadProgressCallback),
                        void (*)(TIMMsgElemUploadProgressCallback, const void*)>);
static_assert(is_same_v<decltype(&TIMSetGroupTipsEventCallback), void (*)(TIMGroupTipsEventCallback, const void*)>);
static_assert(is_same_v<decltype(&TIMSetConvEventCallback), void (*)(TIMConvEventCallback, const void*)>);
static_assert(is_same_v<decltype(&TIMSetNetworkStatusListenerCallback),
                        void (*)(TIMNetworkStatusListenerCallback, const void*)>);
static_assert(is_same_v<decltype(&TIMSetKickedOfflineCallback), void (*)(TIMKickedOfflineCallback, const void*)>);
static_assert(is_same_v<decltype(&TIMSetUserSigExpiredCallback), void (*)(TIMUserSigExpiredCallback, const void*)>);
static_assert(is_same_v<decltype(&TIMSetOnAddFriendCallback), void (*)(TIMOnAddFriendCallback, const void*)>);
static_assert(is_same_v<decltype(&TIMSetOnDeleteFriendCallback), void (*)(TIMOnDeleteFriendCallback, const void*)>);
static_assert(is_same_v<decltype(&TIMSetUpdateFriendProfileCallback),
                        void (*)(TIMUpdateFriendProfileCallback, const void*)>);
static_assert(is_same_v<decltype(&TIMSetFriendAddRequestCallback), void (*)(TIMFriendAddRequestCallback, const void*)>);
static_assert(is_same_v<decltype(&TIMSetLogCallback), void (*)(TIMLogCallback, const void*)>);
static_assert(is_same_v<decltype(&TIMSetMsgUpdateCallback), void (*)(TIMMsgUpdateCallback, const void*)>);

bool Eq(const char* a, std::string_view b) { return a != nullptr && std::string_view(a) == b; }

TEST(ClientHeaders, ResultAndErrorCodes) {
  EXPECT_EQ(TIM_SUCC, 0);
  EXPECT_EQ(TIM_ERR_SDKUNINIT, -1);
  EXPECT_EQ(TIM_ERR_NOTLOGIN, -2);
  EXPECT_EQ(TIM_ERR_JSON, -3);
  EXPECT_EQ(TIM_ERR_PARAM, -4);
  EXPECT_EQ(TIM_ERR_CONV, -5);
  EXPECT_EQ(TIM_ERR_GROUP, -6);
  EXPECT_EQ(ERR_SUCC, 0);
  EXPECT_EQ(ERR_SDK_NOT_LOGGED_IN, 6014);
  EXPECT_EQ(ERR_INVALID_PARAMETERS, 6017);
  EXPECT_EQ(ERR_USER_SIG_EXPIRED, 6206);
  EXPECT_EQ(ERR_LOGIN_AUTH_FAILED, 6207);
  EXPECT_EQ(ERR_LOGIN_KICKED_OFF_BY_OTHER, 6208);
  EXPECT_EQ(ERR_SDK_INTERFACE_NOT_SUPPORT, 7013);
  EXPECT_EQ(ERR_SDK_ACCOUNT_LOGIN_IN_PROCESS, 7501);
  EXPECT_EQ(ERR_SDK_NET_DISCONNECT, 9508);
  EXPECT_EQ(ERR_SDK_NET_CONN_TIMEOUT, 9510);
  EXPECT_EQ(ERR_SVR_ACCOUNT_USERSIG_EXPIRED, 70001);
}

TEST(ClientHeaders, EnumValues) {
  EXPECT_EQ(kTIMConvEvent_Add, 0);
  EXPECT_EQ(kTIMConvEvent_Update, 2);
  EXPECT_EQ(kTIMConvEvent_Start, 3);
  EXPECT_EQ(kTIMConvEvent_Finish, 4);
  EXPECT_EQ(kTIMConnected, 0);
  EXPECT_EQ(kTIMConnectFailed, 3);
  EXPECT_EQ(kTIMLog_Off, 0);
  EXPECT_EQ(kTIMLog_Test, 1);
  EXPECT_EQ(kTIMLog_Info, 4);
  EXPECT_EQ(kTIMLog_Assert, 7);
  EXPECT_EQ(kTIMLoginStatus_Logined, 1);
  EXPECT_EQ(kTIMLoginStatus_Logouting, 4);
  EXPECT_EQ(kTIMConv_C2C, 1);
  EXPECT_EQ(kTIMConv_System, 3);
  EXPECT_EQ(kTIMElem_Text, 0);
  EXPECT_EQ(kTIMElem_GroupTips, 5);
  EXPECT_EQ(kTIMElem_GroupReport, 8);
  EXPECT_EQ(kTIMElem_Merge, 12);
  EXPECT_EQ(kTIMElem_Invalid, -1);
  EXPECT_EQ(kTIMMsg_Sending, 1);
  EXPECT_EQ(kTIMMsg_Revoked, 6);
  EXPECT_EQ(kTIMMsg_Cancel, 7);
  EXPECT_EQ(kTIMMemberRole_Normal, 200);
  EXPECT_EQ(kTIMMemberRole_Owner, 400);
  EXPECT_EQ(KTIMGroupTip_PinnedMessageDeleted, 11);
  EXPECT_EQ(kTIMGroupTipChangeFlag_Name, 1);
  EXPECT_EQ(kTIMGroupTipChangeFlag_TopicMemberMaxCount, 17);
  EXPECT_EQ(kTIMGroupReport_InviteReqToAdmin, 24);
  EXPECT_EQ(kTIMRecvMsgOpt_Not_Receive_Except_At, 4);
  EXPECT_EQ(FriendTypeSignle, FriendTypeSingle);
  EXPECT_EQ(kTIMFriendChange_FriendGroupModify, 11);
  EXPECT_EQ(kTIMGroup_At_All_At_ME, 3);
  EXPECT_EQ(kTIMPlatform_Simulator, 5);
}

TEST(ClientHeaders, JsonKeyStrings) {
  EXPECT_TRUE(Eq(kTIMMsgElemArray, "message_elem_array"));
  EXPECT_TRUE(Eq(kTIMMsgIsFormSelf, "message_is_from_self"));
  EXPECT_TRUE(Eq(kTIMMsgMsgId, "message_msg_id"));
  EXPECT_TRUE(Eq(kTIMMsgUniqueId, "message_unique_id"));
  EXPECT_TRUE(Eq(kTIMMsgOfflinePushConfig, "message_offline_push_config"));
  EXPECT_TRUE(Eq(kTIMElemType, "elem_type"));
  EXPECT_TRUE(Eq(kTIMTextElemContent, "text_elem_content"));
  EXPECT_TRUE(Eq(kTIMMergerElemTitle, "merge_elem_title"));
  EXPECT_TRUE(Eq(kTIMLocationElemlatitude, "location_elem_latitude"));
  EXPECT_TRUE(Eq(kTIMMsgReceiptTimeStamp, "msg_receipt_time_stamp"));
  EXPECT_TRUE(Eq(kTIMMsgLocatorUniqueId, "message_locator_unique_id"));
  EXPECT_TRUE(Eq(kTIMMsgRevokerUserId, "message_revoker_user_id"));
  EXPECT_TRUE(Eq(kTIMGroupTipsElemGroupChangeInfoArray, "group_tips_elem_group_change_info_array"));
  EXPECT_TRUE(Eq(kTIMGroupTipMemberChangeInfoShutupTime, "group_tips_member_change_info_shutupTime"));
  EXPECT_TRUE(Eq(kTIMGroupTipsElemOpGroupMemberInfo, "group_tips_elem_op_group_memberinfo"));
  EXPECT_TRUE(Eq(kTIMGroupMemberInfoRemark, "group_member_info_friend_remark"));
  EXPECT_TRUE(Eq(kTIMConvIsHasLastMsg, "conv_is_has_lastmsg"));
  EXPECT_TRUE(Eq(kTIMConvActiveTime, "conv_active_time"));
  EXPECT_TRUE(Eq(kTIMConvC2CReadTimestamp, "conv_c2c_read_timestamp"));
  EXPECT_TRUE(Eq(kTIMFriendProfileUpdateItem, "friend_profile_update_item"));
  EXPECT_TRUE(Eq(kTIMFriendProfileItemGroupNameArray, "friend_profile_item_group_name_array"));
  EXPECT_TRUE(Eq(kTIMFriendAddPendencyAddWording, "friend_add_pendency_add_wording"));
  EXPECT_TRUE(Eq(kTIMSetConfigCallbackLogLevel, "set_config_callback_log_level"));
  EXPECT_TRUE(Eq(kTIMSetConfigCackBackLogLevel, "set_config_callback_log_level"));
  EXPECT_TRUE(Eq(kTIMUserConfigIsDisableStorage, "user_config_is_is_disable_storage"));
  EXPECT_TRUE(Eq(kTIMMsgGetMsgListParamIsRamble, "msg_getmsglist_param_is_ramble"));
  EXPECT_TRUE(Eq(kTIMMsgGetMsgListMessageTypeArray, "msg_getmsglist_param_message_type_array"));
  EXPECT_TRUE(Eq(kImSDK_MessageAtALL, "__kImSDK_MessageAtALL__"));
  EXPECT_TRUE(Eq(kTIMDSdkConfigSocket, "timd_socket"));
  EXPECT_TRUE(Eq(kTIMDSdkConfigConsumer, "timd_consumer"));
  EXPECT_EQ(TIMD_LOGOUT_FLAG_SERVER, 0x1u);
}

TEST(ClientHeaders, C99TranslationUnitSeesTheSameValues) {
  EXPECT_EQ(timd_c99_header_values(0), TIM_ERR_JSON);
  EXPECT_EQ(timd_c99_header_values(1), kTIMConvEvent_Finish);
  EXPECT_EQ(timd_c99_header_values(2), -1);
  EXPECT_EQ(timd_c99_header_values(3), 7);
  EXPECT_EQ(timd_c99_header_values(4), 7501);
  EXPECT_EQ(timd_c99_header_values(5), static_cast<int>(std::strlen("message_elem_array")));
  EXPECT_EQ(timd_c99_header_values(6), 1);
  EXPECT_EQ(timd_c99_header_values(7), 1);
  EXPECT_EQ(timd_c99_header_values(8), 400);
}

}  // namespace
