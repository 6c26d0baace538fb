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
/* The new total unread number, after every change of it, once the app has
 * called TIMConvGetTotalUnreadMessageCount (as in TIM). */
typedef void (*TIMConvTotalUnreadMessageCountChangedCallback)(int total_unread_count, const void* user_data);
/* A subscribed filter (the JSON string given to
 * TIMConvSubscribeUnreadMessageCountByFilter) and its new unread total. */
typedef void (*TIMConvTotalUnreadMessageCountChangedByFilterCallback)(const char* filter, int total_unread_count, const void* user_data);

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

/* TIMConversationOperationResult */
static const char* kTIMConversationOperationResultConversationID = "conversation_operation_result_conversation_id";
static const char* kTIMConversationOperationResultResultCode = "conversation_operation_result_result_code";
static const char* kTIMConversationOperationResultResultInfo = "conversation_operation_result_result_info";

/* ConversationListFilter and ConversationListResult */
static const char* kTIMConversationListFilterConvType = "conversation_list_filter_conv_type";
static const char* kTIMConversationListFilterConversationGroup = "conversation_list_filter_conversation_group";
static const char* kTIMConversationListFilterMarkType = "conversation_list_filter_mark_type";
static const char* kTIMConversationListFilterHasUnreadCount = "conversation_list_filter_has_unread_count";
static const char* kTIMConversationListFilterHasGroupAtInfo = "conversation_list_filter_has_group_at_info";
static const char* kTIMConversationListResultConvList = "conversation_list_result_conv_list";
static const char* kTIMConversationListResultNextSeq = "conversation_list_result_next_seq";
static const char* kTIMConversationListResultIsFinished = "conversation_list_result_is_finished";

#pragma GCC diagnostic pop

/* TIMConversationMarkType: bit flags; custom marks use bits 32-63. */
enum TIMConversationMarkType {
    kTIMConversationMarkTypeStar = 0x1,
    kTIMConversationMarkTypeUnread = 0x2,
    kTIMConversationMarkTypeFold = 0x4,
    kTIMConversationMarkTypeHide = 0x8,
};

/* cb gets a JSON array of ConvInfo, most recently active first. */
TIM_API int TIMConvGetConvList(TIMCommCallback cb, const void* user_data);
/* cb gets {conv_get_total_unread_message_count_result_unread_count}. */
TIM_API int TIMConvGetTotalUnreadMessageCount(TIMCommCallback cb, const void* user_data);
/* conversation_id: "c2c_<user>", or "c2c" / NULL / "" for every C2C
 * conversation ("group..." fails with 7013). Read up to clean_timestamp
 * (seconds), else clean_sequence; both 0: everything. cb gets "". */
TIM_API int TIMConvCleanConversationUnreadMessageCount(const char* conversation_id, uint64_t clean_timestamp, uint64_t clean_sequence, TIMCommCallback cb, const void* user_data);
TIM_API void TIMSetConvEventCallback(TIMConvEventCallback cb, const void* user_data);
/* filter: conversation_list_filter_* as for TIMConvGetConversationListByFilter
 * (NULL: none). cb gets {conv_get_total_unread_message_count_result_unread_count},
 * the unread total of the matching conversations. */
TIM_API int TIMConvGetUnreadMessageCountByFilter(const char* filter, TIMCommCallback cb, const void* user_data);
/* Per process: the by-filter callback then fires for this filter whenever
 * its unread total changes. TIM_SUCC, or TIM_ERR_JSON/TIM_ERR_PARAM for a
 * bad filter. Unsubscribing a filter not subscribed is TIM_ERR_PARAM. */
TIM_API int TIMConvSubscribeUnreadMessageCountByFilter(const char* filter);
TIM_API int TIMConvUnsubscribeUnreadMessageCountByFilter(const char* filter);
TIM_API void TIMSetConvTotalUnreadMessageCountChangedCallback(TIMConvTotalUnreadMessageCountChangedCallback cb, const void* user_data);
TIM_API void TIMSetConvUnreadMessageCountChangedByFilterCallback(TIMConvTotalUnreadMessageCountChangedByFilterCallback cb, const void* user_data);

/* The rest is local to timd (no server-side conversation list in XMPP):
 * other devices are not told. Unknown conversations fail with 6004
 * (ERR_INVALID_CONVERSATION); groups with 7013. */
/* Deletes the conversation and its stored messages; cb gets "". ConvEvent
 * Del. Messages from before the delete never bring it back. */
TIM_API int TIMConvDelete(const char* conv_id, enum TIMConvType conv_type, TIMCommCallback cb, const void* user_data);
/* "To be deprecated" in TIM. Creates the C2C conversation with conv_id (a
 * user ID) without a message; cb gets its ConvInfo. ConvEvent Add fires
 * when it did not exist; creating an existing one answers its ConvInfo and
 * fires nothing. Groups: 7013. */
TIM_API int TIMConvCreate(const char* conv_id, enum TIMConvType conv_type, TIMCommCallback cb, const void* user_data);
/* conversation_id_array: ["c2c_<user>", ...], 1 to 100. cb gets an array
 * of TIMConversationOperationResult. */
TIM_API int TIMConvDeleteConversationList(const char* conversation_id_array, bool clear_message, TIMCommCallback cb, const void* user_data);
/* json_get_conv_list_param: array of GetConversationListParam. cb gets an
 * array of ConvInfo (unknown conversations are left out). */
TIM_API int TIMConvGetConvInfo(const char* json_get_conv_list_param, TIMCommCallback cb, const void* user_data);
/* filter: conversation_list_filter_* (NULL: none); next_seq 0 starts at
 * the top. cb gets {conversation_list_result_conv_list, _next_seq, _is_finished}. */
TIM_API int TIMConvGetConversationListByFilter(const char* filter, uint64_t next_seq, uint32_t count, TIMCommCallback cb, const void* user_data);
/* Synchronous: TIM_SUCC, TIM_ERR_PARAM/JSON (bad input), TIM_ERR_CONV (no
 * such conversation), TIM_ERR_NOTLOGIN, or another TIM error code from
 * timd (e.g. 7010). ConvEvent Update. */
TIM_API int TIMConvSetDraft(const char* conv_id, enum TIMConvType conv_type, const char* json_draft_param);
TIM_API int TIMConvCancelDraft(const char* conv_id, enum TIMConvType conv_type);
/* cb gets "". ConvEvent Update; pinned conversations list first. */
TIM_API int TIMConvPinConversation(const char* conv_id, enum TIMConvType conv_type, bool is_pinned, TIMCommCallback cb, const void* user_data);
/* Sets or clears the TIMConversationMarkType bits of mark_type. cb gets an
 * array of TIMConversationOperationResult. */
TIM_API int TIMConvMarkConversation(const char* conversation_id_array, uint64_t mark_type, bool enable_mark, TIMCommCallback cb, const void* user_data);
/* custom_data: at most 256 bytes. cb gets an array of TIMConversationOperationResult. */
TIM_API int TIMConvSetConversationCustomData(const char* conversation_id_array, const char* custom_data, TIMCommCallback cb, const void* user_data);

#ifdef __cplusplus
}
#endif

#endif /* TIMD_TIM_CONVERSATION_MANAGER_H_ */
