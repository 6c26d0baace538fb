/* TIMConversationManager.h: conversations (ConvInfo), the conversation event
 * and the conversation list call. */
#ifndef TIMD_TIM_CONVERSATION_MANAGER_H_
#define TIMD_TIM_CONVERSATION_MANAGER_H_

#include "TIMCloudDef.h"

#ifdef __cplusplus
extern "C" {
#endif

enum TIMConvEvent {
    kTIMConvEvent_Add = 0,
    kTIMConvEvent_Del = 1,
    kTIMConvEvent_Update = 2,
    kTIMConvEvent_Start = 3,  /* sync started; payload "" */
    kTIMConvEvent_Finish = 4, /* sync finished; payload "" */
};

enum TIMGroupAtType {
    kTIMGroup_At_Me = 1,
    kTIMGroup_At_All = 2,
    kTIMGroup_At_All_At_ME = 3,
};

/* Add/Del/Update: JSON array of ConvInfo. Start/Finish: "". */
typedef void (*TIMConvEventCallback)(enum TIMConvEvent conv_event, const char* json_conv_array, const void* user_data);

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-variable"

/* ConvInfo */
static const char* kTIMConvId = "conv_id";
static const char* kTIMConvType = "conv_type";
static const char* kTIMConvOwner = "conv_owner"; /* deprecated */
static const char* kTIMConvFaceUrl = "conv_face_url";
static const char* kTIMConvUnReadNum = "conv_unread_num";
static const char* kTIMConvActiveTime = "conv_active_time";
static const char* kTIMConvIsHasLastMsg = "conv_is_has_lastmsg";
static const char* kTIMConvLastMsg = "conv_last_msg";
static const char* kTIMConvIsHasDraft = "conv_is_has_draft";
static const char* kTIMConvDraft = "conv_draft";
static const char* kTIMConvRecvOpt = "conv_recv_opt";
static const char* kTIMConvGroupType = "conv_group_type";
static const char* kTIMConvGroupAtInfoArray = "conv_group_at_info_array";
static const char* kTIMConvIsPinned = "conv_is_pinned";
static const char* kTIMConvShowName = "conv_show_name";
static const char* kTIMConvMarkArray = "conv_mark_array";
static const char* kTIMConvCustomData = "conv_custom_data";
static const char* kTIMConvConversationGroupArray = "conv_conversation_group_array";
static const char* kTIMConvC2CReadTimestamp = "conv_c2c_read_timestamp";
static const char* kTIMConvGroupReadSequence = "conv_group_read_sequence";

/* Draft */
static const char* kTIMDraftMsg = "draft_msg";
static const char* kTIMDraftUserDefine = "draft_user_define";
static const char* kTIMDraftEditTime = "draft_edit_time";

/* GroupAtInfo */
static const char* kTIMGroupAtInfoSeq = "conv_group_at_info_seq";
static const char* kTIMGroupAtInfoAtType = "conv_group_at_info_at_type";

/* GetConversationListParam */
static const char* kTIMGetConversationListParamConvId = "get_conversation_list_param_conv_id";
static const char* kTIMGetConversationListParamConvType = "get_conversation_list_param_conv_type";

#pragma GCC diagnostic pop

/* cb gets a JSON array of ConvInfo, most recently active first. */
TIM_API int TIMConvGetConvList(TIMCommCallback cb, const void* user_data);
/* cb gets {conv_get_total_unread_message_count_result_unread_count}. */
TIM_API int TIMConvGetTotalUnreadMessageCount(TIMCommCallback cb, const void* user_data);
/* conversation_id: "c2c_<user>", or "c2c" / NULL / "" for every C2C
 * conversation ("group..." fails with 7013). Read up to clean_timestamp
 * (seconds), else clean_sequence; both 0: everything. cb gets "". */
TIM_API int TIMConvCleanConversationUnreadMessageCount(const char* conversation_id, uint64_t clean_timestamp, uint64_t clean_sequence, TIMCommCallback cb, const void* user_data);
TIM_API void TIMSetConvEventCallback(TIMConvEventCallback cb, const void* user_data);

#ifdef __cplusplus
}
#endif

#endif /* TIMD_TIM_CONVERSATION_MANAGER_H_ */
