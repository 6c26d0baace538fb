/* TIMFriendshipManager.h: friend enums, friend JSON keys and the four friend
 * events. */
#ifndef TIMD_TIM_FRIENDSHIP_MANAGER_H_
#define TIMD_TIM_FRIENDSHIP_MANAGER_H_

#include "TIMCloudDef.h"

#ifdef __cplusplus
extern "C" {
#endif

enum TIMFriendType {
    FriendTypeSingle = 0,
    FriendTypeBoth = 1,
};
#define FriendTypeSignle FriendTypeSingle

enum TIMFriendPendencyType {
    FriendPendencyTypeComeIn = 0,
    FriendPendencyTypeSendOut = 1,
    FriendPendencyTypeBoth = 2,
};

enum TIMFriendResponseAction {
    ResponseActionAgree = 0,
    ResponseActionAgreeAndAdd = 1,
    ResponseActionReject = 2,
};

enum TIMFriendCheckRelation {
    FriendCheckNoRelation = 0,
    FriendCheckAWithB = 1,
    FriendCheckBWithA = 2,
    FriendCheckBothWay = 3,
};

enum TIMFriendshipRelationType {
    kTIMFriendshipRelationType_None = 0,
    kTIMFriendshipRelationType_InMyFriendList = 1,
    kTIMFriendshipRelationType_InOtherFriendList = 2,
    kTIMFriendshipRelationType_BothFriend = 3,
};

enum TIMFriendChangeType {
    kTIMFriendChange_None = 0,
    kTIMFriendChange_FriendAdd = 1,
    kTIMFriendChange_FriendDel = 2,
    kTIMFriendChange_PendencyAdd = 3,
    kTIMFriendChange_PendencyDel = 4,
    kTIMFriendChange_BlackListAdd = 5,
    kTIMFriendChange_BlackListDel = 6,
    kTIMFriendChange_PendencyReadedReport = 7,
    kTIMFriendChange_FriendProfileUpdate = 8,
    kTIMFriendChange_FriendGroupAdd = 9,
    kTIMFriendChange_FriendGroupDel = 10,
    kTIMFriendChange_FriendGroupModify = 11,
};

/* JSON array of user-ID strings. */
typedef void(*TIMOnAddFriendCallback)(const char* json_identifier_array, const void* user_data);
/* JSON array of user-ID strings. */
typedef void(*TIMOnDeleteFriendCallback)(const char* json_identifier_array, const void* user_data);
/* JSON array of FriendProfileUpdate. */
typedef void(*TIMUpdateFriendProfileCallback)(const char* json_friend_profile_update_array, const void* user_data);
/* JSON array of FriendAddPendency. */
typedef void(*TIMFriendAddRequestCallback)(const char* json_friend_add_request_pendency_array, const void* user_data);

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-variable"

/* FriendProfileUpdate */
static const char* kTIMFriendProfileUpdateIdentifier = "friend_profile_update_identifier";
static const char* kTIMFriendProfileUpdateItem = "friend_profile_update_item";

/* FriendProfileItem */
static const char* kTIMFriendProfileItemRemark = "friend_profile_item_remark";
static const char* kTIMFriendProfileItemGroupNameArray = "friend_profile_item_group_name_array";
static const char* kTIMFriendProfileItemCustomStringArray = "friend_profile_item_custom_string_array";

/* FriendProfileCustomStringInfo */
static const char* kTIMFriendProfileCustomStringInfoKey = "friend_profile_custom_string_info_key";
static const char* kTIMFriendProfileCustomStringInfoValue = "friend_profile_custom_string_info_value";
#define kTIMFriendProfileCustemStringInfoKey kTIMFriendProfileCustomStringInfoKey
#define kTIMFriendProfileCustemStringInfoValue kTIMFriendProfileCustomStringInfoValue

/* FriendProfile */
static const char* kTIMFriendProfileIdentifier = "friend_profile_identifier";
static const char* kTIMFriendProfileGroupNameArray = "friend_profile_group_name_array";
static const char* kTIMFriendProfileRemark = "friend_profile_remark";
static const char* kTIMFriendProfileAddWording = "friend_profile_add_wording";
static const char* kTIMFriendProfileAddSource = "friend_profile_add_source";
static const char* kTIMFriendProfileAddTime = "friend_profile_add_time";
static const char* kTIMFriendProfileUserProfile = "friend_profile_user_profile";
static const char* kTIMFriendProfileCustomStringArray = "friend_profile_custom_string_array";

/* FriendAddPendency */
static const char* kTIMFriendAddPendencyType = "friend_add_pendency_type";
static const char* kTIMFriendAddPendencyIdentifier = "friend_add_pendency_identifier";
static const char* kTIMFriendAddPendencyNickName = "friend_add_pendency_nick_name";
static const char* kTIMFriendAddPendencyFaceUrl = "friend_add_pendency_face_url";
static const char* kTIMFriendAddPendencyAddTime = "friend_add_pendency_add_time";
static const char* kTIMFriendAddPendencyAddSource = "friend_add_pendency_add_source";
static const char* kTIMFriendAddPendencyAddWording = "friend_add_pendency_add_wording";

/* FriendChangeElem (elem_type kTIMElem_FriendChange) */
static const char* kTIMFriendChangeElemChangeType = "friend_change_elem_change_type";
static const char* kTIMFriendChangeElemFriendAddIdentifierArray = "friend_change_elem_friend_add_identifier_array";
static const char* kTIMFriendChangeElemFriendDelIdentifierArray = "friend_change_elem_friend_del_identifier_array";
static const char* kTIMFriendChangeElemFriendAddPendencyItemArray = "friend_change_elem_friend_add_pendency_array";
static const char* kTIMFriendChangeElemPendencyDelIdentifierArray = "friend_change_elem_pendency_del_identifier_array";
static const char* kTIMFriendChangeElemPendencyReadedReportTimestamp = "friend_change_elem_pendency_readed_report_timestamp";
static const char* kTIMFriendChangeElemBlackListAddIdentifierArray = "friend_change_elem_blacklist_add_identifier_array";
static const char* kTIMFriendChangeElemBlackListDelIdentifierArray = "friend_change_elem_blacklist_del_identifier_array";
static const char* kTIMFriendChangeElemFriendProfileUpdateItemArray = "friend_change_elem_friend_profile_update_item_array";
static const char* kTIMFriendChangeElemFriendGroupAddIdentifierArray = "friend_change_elem_friend_group_add_array";
static const char* kTIMFriendChangeElemFriendGroupDelIdentifierArray = "friend_change_elem_friend_group_del_array";
static const char* kTIMFriendChangeElemFriendGroupUpdateIdentifierArray = "friend_change_elem_friend_group_update_array";
#define kTIMFriendChangeElemFreindProfileUpdateItemArray kTIMFriendChangeElemFriendProfileUpdateItemArray

#pragma GCC diagnostic pop

TIM_API void TIMSetOnAddFriendCallback(TIMOnAddFriendCallback cb, const void* user_data);
TIM_API void TIMSetOnDeleteFriendCallback(TIMOnDeleteFriendCallback cb, const void* user_data);
TIM_API void TIMSetUpdateFriendProfileCallback(TIMUpdateFriendProfileCallback cb, const void* user_data);
TIM_API void TIMSetFriendAddRequestCallback(TIMFriendAddRequestCallback cb, const void* user_data);

#ifdef __cplusplus
}
#endif

#endif /* TIMD_TIM_FRIENDSHIP_MANAGER_H_ */
