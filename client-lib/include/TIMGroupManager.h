/* TIMGroupManager.h: group enums, group tips / group report / member JSON keys
 * and the group tips event. */
#ifndef TIMD_TIM_GROUP_MANAGER_H_
#define TIMD_TIM_GROUP_MANAGER_H_

#include "TIMCloudDef.h"

#ifdef __cplusplus
extern "C" {
#endif

enum TIMGroupTipType {
    kTIMGroupTip_None = 0,
    kTIMGroupTip_Invite = 1,
    kTIMGroupTip_Quit = 2,
    kTIMGroupTip_Kick = 3,
    kTIMGroupTip_SetAdmin = 4,
    kTIMGroupTip_CancelAdmin = 5,
    kTIMGroupTip_GroupInfoChange = 6,
    kTIMGroupTip_MemberInfoChange = 7,
    kTIMGroupTip_MemberMarkChange = 8,
    kTIMGroupTip_TopicInfoChange = 9,
    KTIMGroupTip_PinnedMessageAdded = 10,   /* capital K, as in TIM */
    KTIMGroupTip_PinnedMessageDeleted = 11,
};

enum TIMGroupTipGroupChangeFlag {
    kTIMGroupTipChangeFlag_Unknown = 0,
    kTIMGroupTipChangeFlag_Name = 1,
    kTIMGroupTipChangeFlag_Introduction = 2,
    kTIMGroupTipChangeFlag_Notification = 3,
    kTIMGroupTipChangeFlag_FaceUrl = 4,
    kTIMGroupTipChangeFlag_Owner = 5,
    kTIMGroupTipChangeFlag_Custom = 6,
    kTIMGroupTipChangeFlag_Attribute = 7,
    kTIMGroupTipChangeFlag_ShutupAll = 8,
    kTIMGroupTipChangeFlag_TopicCustomData = 9,
    kTIMGroupTipChangeFlag_MessageReceiveOpt = 10,
    kTIMGroupTipChangeFlag_GroupAddOpt = 11,
    kTIMGroupTipChangeFlag_GroupApproveOpt = 12,
    kTIMGroupTipChangeFlag_EnablePermissionGroup = 13,
    kTIMGroupTipChangeFlag_DefaultPermissions = 14,
    kTIMGroupTipChangeFlag_TopicAddOpt = 15,
    kTIMGroupTipChangeFlag_TopicApproveOpt = 16,
    kTIMGroupTipChangeFlag_TopicMemberMaxCount = 17,
};

enum TIMGroupJoinType {
    kTIMGroupJoin_None = 0,
    kTIMGroupJoin_Apply = 1,
    kTIMGroupJoin_Invite = 2,
};

enum TIMGroupMemberRole {
    kTIMMemberRole_None = 0,
    kTIMMemberRole_Normal = 200,
    kTIMMemberRole_Admin = 300,
    kTIMMemberRole_Owner = 400,
};

enum TIMGroupType {
    kTIMGroup_Public = 0,
    kTIMGroup_Private = 1,
    kTIMGroup_ChatRoom = 2,
    kTIMGroup_BChatRoom = 3,
    kTIMGroup_AVChatRoom = 4,
    kTIMGroup_Community = 5,
};

enum TIMGroupAddOption {
    kTIMGroupAddOpt_Forbid = 0,
    kTIMGroupAddOpt_Auth = 1,
    kTIMGroupAddOpt_Any = 2,
    kTIMGroupAddOpt_Unknown = 3,
};

enum TIMGroupReportType {
    kTIMGroupReport_None = 0,
    kTIMGroupReport_AddRequest = 1,
    kTIMGroupReport_AddAccept = 2,
    kTIMGroupReport_AddRefuse = 3,
    kTIMGroupReport_BeKicked = 4,
    kTIMGroupReport_Delete = 5,
    kTIMGroupReport_Create = 6,
    kTIMGroupReport_Invite = 7,
    kTIMGroupReport_Quit = 8,
    kTIMGroupReport_GrantAdmin = 9,
    kTIMGroupReport_CancelAdmin = 10,
    kTIMGroupReport_GroupRecycle = 11,
    kTIMGroupReport_InviteReqToInvitee = 12,
    kTIMGroupReport_InviteAccept = 13,
    kTIMGroupReport_InviteRefuse = 14,
    kTIMGroupReport_ReadReport = 15,
    kTIMGroupReport_UserDefine = 16,
    kTIMGroupReport_ShutUpMember = 17,
    kTIMGroupReport_TopicCreate = 18,
    kTIMGroupReport_TopicDelete = 19,
    kTIMGroupReport_GroupMessageRead = 20,
    kTIMGroupReport_GroupMessageRecvOption = 21,
    kTIMGroupReport_BannedFromGroup = 22,
    kTIMGroupReport_UnbannedFromGroup = 23,
    kTIMGroupReport_InviteReqToAdmin = 24,
};

/* One GroupTipsElem object (not an array). */
typedef void (*TIMGroupTipsEventCallback)(const char* json_group_tip, const void* user_data);

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-variable"

/* GroupTipsElem (callback payload and elem_type kTIMElem_GroupTips) */
static const char* kTIMGroupTipsElemTipType = "group_tips_elem_tip_type";
static const char* kTIMGroupTipsElemJoinType = "group_tips_elem_join_type";
static const char* kTIMGroupTipsElemOpUser = "group_tips_elem_op_user";
static const char* kTIMGroupTipsElemGroupName = "group_tips_elem_group_name"; /* deprecated */
static const char* kTIMGroupTipsElemGroupId = "group_tips_elem_group_id";
static const char* kTIMGroupTipsElemTime = "group_tips_elem_time"; /* deprecated */
static const char* kTIMGroupTipsElemUserArray = "group_tips_elem_user_array";
static const char* kTIMGroupTipsElemGroupChangeInfoArray = "group_tips_elem_group_change_info_array";
static const char* kTIMGroupTipsElemMemberChangeInfoArray = "group_tips_elem_member_change_info_array";
static const char* kTIMGroupTipsElemOpUserInfo = "group_tips_elem_op_user_info";
static const char* kTIMGroupTipsElemOpGroupMemberInfo = "group_tips_elem_op_group_memberinfo";
static const char* kTIMGroupTipsElemChangedUserInfoArray = "group_tips_elem_changed_user_info_array";
static const char* kTIMGroupTipsElemChangedGroupMemberInfoArray = "group_tips_elem_changed_group_memberinfo_array";
static const char* kTIMGroupTipsElemMemberNum = "group_tips_elem_member_num";
static const char* kTIMGroupTipsElemPlatform = "group_tips_elem_platform";
static const char* kTIMGroupTipsElemMemberMarkInfoArray = "group_tips_elem_member_mark_info_array";
static const char* kTIMGroupTipsElemPinnedMessageList = "group_tips_elem_pinned_message_list";

/* GroupTipGroupChangeInfo */
static const char* kTIMGroupTipGroupChangeInfoFlag = "group_tips_group_change_info_flag";
static const char* kTIMGroupTipGroupChangeInfoValue = "group_tips_group_change_info_value";
static const char* kTIMGroupTipGroupChangeInfoKey = "group_tips_group_change_info_key";
static const char* kTIMGroupTipGroupChangeInfoBoolValue = "group_tips_group_change_info_bool_value";
static const char* kTIMGroupTipGroupChangeInfoIntValue = "group_tips_group_change_info_int_value";
static const char* kTIMGroupTipGroupChangeInfoUint64Value = "group_tips_group_change_info_uint64_value";

/* GroupTipMemberChangeInfo (note the camelCase "shutupTime") */
static const char* kTIMGroupTipMemberChangeInfoIdentifier = "group_tips_member_change_info_identifier";
static const char* kTIMGroupTipMemberChangeInfoShutupTime = "group_tips_member_change_info_shutupTime";

/* GroupTipMemberMarkChangeInfo */
static const char* kTIMGroupTipMemberMarkChangeInfoEnableMark = "group_tips_member_mark_change_info_enableMark";
static const char* kTIMGroupTipMemberMarkChangeInfoMarkType = "group_tips_member_mark_change_info_markType";
static const char* kTIMGroupTipMemberMarkChangeInfoUserIDList = "group_tips_member_mark_change_info_userIDList";

/* GroupReportElem (elem_type kTIMElem_GroupReport) */
static const char* kTIMGroupReportElemReportType = "group_report_elem_report_type";
static const char* kTIMGroupReportElemGroupId = "group_report_elem_group_id";
static const char* kTIMGroupReportElemGroupName = "group_report_elem_group_name"; /* deprecated */
static const char* kTIMGroupReportElemOpUser = "group_report_elem_op_user";
static const char* kTIMGroupReportElemMsg = "group_report_elem_msg";
static const char* kTIMGroupReportElemUserData = "group_report_elem_user_data";
static const char* kTIMGroupReportElemOpUserInfo = "group_report_elem_op_user_info";
static const char* kTIMGroupReportElemOpGroupMemberInfo = "group_report_elem_op_group_memberinfo";
static const char* kTIMGroupReportElemPlatform = "group_report_elem_platform";
static const char* kTIMGroupReportElemShutUpTime = "group_report_elem_shut_up_time";
static const char* kTIMGroupReportElemGroupMessageReceiveOption = "group_report_elem_group_message_receive_option";

/* GroupMemberInfo */
static const char* kTIMGroupMemberInfoIdentifier = "group_member_info_identifier";
static const char* kTIMGroupMemberInfoGroupId = "group_member_info_group_id";
static const char* kTIMGroupMemberInfoJoinTime = "group_member_info_join_time";
static const char* kTIMGroupMemberInfoMemberRole = "group_member_info_member_role";
static const char* kTIMGroupMemberInfoMsgFlag = "group_member_info_msg_flag";
static const char* kTIMGroupMemberInfoMsgSeq = "group_member_info_msg_seq";
static const char* kTIMGroupMemberInfoShutupTime = "group_member_info_shutup_time";
static const char* kTIMGroupMemberInfoNameCard = "group_member_info_name_card";
static const char* kTIMGroupMemberInfoNickName = "group_member_info_nick_name";
static const char* kTIMGroupMemberInfoFriendRemark = "group_member_info_friend_remark";
static const char* kTIMGroupMemberInfoFaceUrl = "group_member_info_face_url";
static const char* kTIMGroupMemberInfoCustomInfo = "group_member_info_custom_info";
static const char* kTIMGroupMemberInfoIsOnline = "group_member_info_is_online";
static const char* kTIMGroupMemberInfoOnlineDevices = "group_member_info_online_devices";
static const char* kTIMGroupMemberInfoCustomStringInfoKey = "group_member_info_custom_string_info_key";
static const char* kTIMGroupMemberInfoCustomStringInfoValue = "group_member_info_custom_string_info_value";
#define kTIMGroupMemberInfoRemark kTIMGroupMemberInfoFriendRemark
#define kTIMGroupMemberInfoCustemStringInfoKey kTIMGroupMemberInfoCustomStringInfoKey
#define kTIMGroupMemberInfoCustemStringInfoValue kTIMGroupMemberInfoCustomStringInfoValue

#pragma GCC diagnostic pop

TIM_API void TIMSetGroupTipsEventCallback(TIMGroupTipsEventCallback cb, const void* user_data);

#ifdef __cplusplus
}
#endif

#endif /* TIMD_TIM_GROUP_MANAGER_H_ */
