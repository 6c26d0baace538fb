/* TIMMessageManager.h: messages, their elements, receipts, locators, the
 * message events, send and history calls. */
#ifndef TIMD_TIM_MESSAGE_MANAGER_H_
#define TIMD_TIM_MESSAGE_MANAGER_H_

#include "TIMCloudDef.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Enums -------------------------------------------------------------- */

enum TIMElemType {
    kTIMElem_Text = 0,
    kTIMElem_Image = 1,
    kTIMElem_Sound = 2,
    kTIMElem_Custom = 3,
    kTIMElem_File = 4,
    kTIMElem_GroupTips = 5,
    kTIMElem_Face = 6,
    kTIMElem_Location = 7,
    kTIMElem_GroupReport = 8,
    kTIMElem_Video = 9,
    kTIMElem_FriendChange = 10,
    kTIMElem_ProfileChange = 11,
    kTIMElem_Merge = 12,
    kTIMElem_Invalid = -1,
};

enum TIMMsgStatus {
    kTIMMsg_Sending = 1,
    kTIMMsg_SendSucc = 2,
    kTIMMsg_SendFail = 3,
    kTIMMsg_Deleted = 4,
    kTIMMsg_LocalImported = 5,
    kTIMMsg_Revoked = 6,
    kTIMMsg_Cancel = 7,
};

enum TIMMsgPriority {
    kTIMMsgPriority_High = 0,
    kTIMMsgPriority_Normal = 1,
    kTIMMsgPriority_Low = 2,
    kTIMMsgPriority_Lowest = 3,
};

enum TIMPlatform {
    kTIMPlatform_Other = 0,
    kTIMPlatform_Windows = 1,
    kTIMPlatform_Android = 2,
    kTIMPlatform_IOS = 3,
    kTIMPlatform_Mac = 4,
    kTIMPlatform_Simulator = 5,
};

enum TIMImageLevel {
    kTIMImageLevel_Orig = 0,
    kTIMImageLevel_Compression = 1,
    kTIMImageLevel_HD = 2,
};

enum TIMDownloadType {
    kTIMDownload_VideoThumb = 0,
    kTIMDownload_File = 1,
    kTIMDownload_Video = 2,
    kTIMDownload_Sound = 3,
};

/* ---- Event callbacks ---------------------------------------------------- */

/* JSON array of Message. */
typedef void (*TIMRecvNewMsgCallback)(const char* json_msg_array, const void* user_data);
/* JSON array of MessageReceipt. */
typedef void (*TIMMsgReadedReceiptCallback)(const char* json_msg_read_receipt_array, const void* user_data);
/* JSON array of MsgLocator objects plus message_revoker_* / message_revoke_reason. */
typedef void (*TIMMsgRevokeCallback)(const char* json_msg_revoke_info_array, const void* user_data);
/* json_msg is one Message object; index is the element's position in it. */
typedef void (*TIMMsgElemUploadProgressCallback)(const char* json_msg, uint32_t index, uint32_t cur_size, uint32_t total_size, const void* user_data);
/* JSON array of Message changed on the server. */
typedef void (*TIMMsgUpdateCallback)(const char* json_msg_array, const void* user_data);

/* ---- JSON keys ---------------------------------------------------------- */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-variable"

/* Message */
static const char* kTIMMsgElemArray = "message_elem_array";
static const char* kTIMMsgConvId = "message_conv_id";
static const char* kTIMMsgConvType = "message_conv_type";
static const char* kTIMMsgSender = "message_sender";
static const char* kTIMMsgPriority = "message_priority";
static const char* kTIMMsgClientTime = "message_client_time";
static const char* kTIMMsgServerTime = "message_server_time";
static const char* kTIMMsgIsFormSelf = "message_is_from_self"; /* sic, the only spelling */
static const char* kTIMMsgPlatform = "message_platform";
static const char* kTIMMsgIsRead = "message_is_read";
static const char* kTIMMsgIsOnlineMsg = "message_is_online_msg";
static const char* kTIMMsgIsPeerRead = "message_is_peer_read";
static const char* kTIMMsgReceiptPeerRead = "message_receipt_peer_read";
static const char* kTIMMsgNeedReadReceipt = "message_need_read_receipt";
static const char* kTIMMsgSupportMessageExtension = "message_support_message_extension";
static const char* kTIMMsgIsBroadcastMessage = "message_is_broadcast_message";
static const char* kTIMMsgHasSentReceipt = "message_has_sent_receipt";
static const char* kTIMMsgStatus = "message_status";
static const char* kTIMMsgUniqueId = "message_unique_id";
static const char* kTIMMsgMsgId = "message_msg_id";
static const char* kTIMMsgRand = "message_rand";
static const char* kTIMMsgSeq = "message_seq";
static const char* kTIMMsgCustomInt = "message_custom_int";
static const char* kTIMMsgCustomStr = "message_custom_str";
static const char* kTIMMsgCloudCustomStr = "message_cloud_custom_str";
static const char* kTIMMsgIsExcludedFromUnreadCount = "message_is_excluded_from_unread_count";
static const char* kTIMMsgGroupAtUserArray = "message_group_at_user_array";
static const char* kTIMMsgIsForwardMessage = "message_is_forward_message";
static const char* kTIMMsgSenderProfile = "message_sender_profile";
static const char* kTIMMsgSenderGroupMemberInfo = "message_sender_group_member_info";
static const char* kTIMMsgExcludedFromLastMessage = "message_excluded_from_last_message";
static const char* kTIMMsgExcludedFromContentModeration = "message_excluded_from_content_moderation";
static const char* kTIMMsgCustomModerationConfigurationID = "message_custom_moderation_configuration_id";
static const char* kTIMMsgHasRiskContent = "message_has_risk_content";
static const char* kTIMMsgDisableCloudMessagePreHook = "message_disable_cloud_message_pre_hook";
static const char* kTIMMsgDisableCloudMessagePostHook = "message_disable_cloud_message_post_hook";
static const char* kTIMMsgTargetGroupMemberArray = "message_target_group_member_array";
static const char* kTIMMsgOfflinePushConfig = "message_offline_push_config";
static const char* kTIMMsgRevokerUserId = "message_revoker_user_id";
static const char* kTIMMsgRevokerNickName = "message_revoker_nick_name";
static const char* kTIMMsgRevokerFaceUrl = "message_revoker_face_url";
static const char* kTIMMsgRevokeReason = "message_revoke_reason";
static const char* kTIMMsgPinnerUserId = "message_pinner_user_id";
static const char* kTIMMsgPinnerNickName = "message_pinner_nick_name";
static const char* kTIMMsgPinnerFriendRemark = "message_pinner_friend_remark";
static const char* kTIMMsgPinnerNameCard = "message_pinner_name_card";
static const char* kTIMMsgPinnerFaceURL = "message_pinner_face_url";
static const char* kTIMMsgExcludedFromMuting = "message_excluded_from_muting";

/* The @all marker in message_group_at_user_array */
static const char* kImSDK_MessageAtALL = "__kImSDK_MessageAtALL__";
#define kImSDK_MesssageAtALL kImSDK_MessageAtALL

/* Every element */
static const char* kTIMElemType = "elem_type";

/* TextElem */
static const char* kTIMTextElemContent = "text_elem_content";

/* ImageElem */
static const char* kTIMImageElemOrigPath = "image_elem_orig_path";
static const char* kTIMImageElemLevel = "image_elem_level";
static const char* kTIMImageElemFormat = "image_elem_format";
static const char* kTIMImageElemOrigId = "image_elem_orig_id";
static const char* kTIMImageElemOrigPicHeight = "image_elem_orig_pic_height";
static const char* kTIMImageElemOrigPicWidth = "image_elem_orig_pic_width";
static const char* kTIMImageElemOrigPicSize = "image_elem_orig_pic_size";
static const char* kTIMImageElemThumbId = "image_elem_thumb_id";
static const char* kTIMImageElemThumbPicHeight = "image_elem_thumb_pic_height";
static const char* kTIMImageElemThumbPicWidth = "image_elem_thumb_pic_width";
static const char* kTIMImageElemThumbPicSize = "image_elem_thumb_pic_size";
static const char* kTIMImageElemLargeId = "image_elem_large_id";
static const char* kTIMImageElemLargePicHeight = "image_elem_large_pic_height";
static const char* kTIMImageElemLargePicWidth = "image_elem_large_pic_width";
static const char* kTIMImageElemLargePicSize = "image_elem_large_pic_size";
static const char* kTIMImageElemOrigUrl = "image_elem_orig_url";
static const char* kTIMImageElemThumbUrl = "image_elem_thumb_url";
static const char* kTIMImageElemLargeUrl = "image_elem_large_url";
static const char* kTIMImageElemTaskId = "image_elem_task_id";

/* SoundElem */
static const char* kTIMSoundElemFilePath = "sound_elem_file_path";
static const char* kTIMSoundElemFileSize = "sound_elem_file_size";
static const char* kTIMSoundElemFileTime = "sound_elem_file_time";
static const char* kTIMSoundElemFileId = "sound_elem_file_id";
static const char* kTIMSoundElemBusinessId = "sound_elem_business_id";
static const char* kTIMSoundElemUrl = "sound_elem_url";
static const char* kTIMSoundElemTaskId = "sound_elem_task_id";

/* CustomElem */
static const char* kTIMCustomElemData = "custom_elem_data";
static const char* kTIMCustomElemDesc = "custom_elem_desc";
static const char* kTIMCustomElemExt = "custom_elem_ext";
static const char* kTIMCustomElemSound = "custom_elem_sound";

/* FileElem */
static const char* kTIMFileElemFilePath = "file_elem_file_path";
static const char* kTIMFileElemFileName = "file_elem_file_name";
static const char* kTIMFileElemFileSize = "file_elem_file_size";
static const char* kTIMFileElemFileId = "file_elem_file_id";
static const char* kTIMFileElemBusinessId = "file_elem_business_id";
static const char* kTIMFileElemUrl = "file_elem_url";
static const char* kTIMFileElemTaskId = "file_elem_task_id";

/* FaceElem */
static const char* kTIMFaceElemIndex = "face_elem_index";
static const char* kTIMFaceElemBuf = "face_elem_buf";

/* LocationElem */
static const char* kTIMLocationElemDesc = "location_elem_desc";
static const char* kTIMLocationElemLongitude = "location_elem_longitude";
static const char* kTIMLocationElemLatitude = "location_elem_latitude";
#define kTIMLocationElemlatitude kTIMLocationElemLatitude

/* VideoElem */
static const char* kTIMVideoElemVideoType = "video_elem_video_type";
static const char* kTIMVideoElemVideoSize = "video_elem_video_size";
static const char* kTIMVideoElemVideoDuration = "video_elem_video_duration";
static const char* kTIMVideoElemVideoPath = "video_elem_video_path";
static const char* kTIMVideoElemVideoId = "video_elem_video_id";
static const char* kTIMVideoElemBusinessId = "video_elem_business_id";
static const char* kTIMVideoElemVideoUrl = "video_elem_video_url";
static const char* kTIMVideoElemImageType = "video_elem_image_type";
static const char* kTIMVideoElemImageSize = "video_elem_image_size";
static const char* kTIMVideoElemImageWidth = "video_elem_image_width";
static const char* kTIMVideoElemImageHeight = "video_elem_image_height";
static const char* kTIMVideoElemImagePath = "video_elem_image_path";
static const char* kTIMVideoElemImageId = "video_elem_image_id";
static const char* kTIMVideoElemImageUrl = "video_elem_image_url";
static const char* kTIMVideoElemTaskId = "video_elem_task_id";

/* MergeElem (constants say "Merger", strings say "merge") */
static const char* kTIMMergerElemTitle = "merge_elem_title";
static const char* kTIMMergerElemAbstractArray = "merge_elem_abstract_array";
static const char* kTIMMergerElemCompatibleText = "merge_elem_compatible_text";
static const char* kTIMMergerElemMsgArray = "merge_elem_message_array";
static const char* kTIMMergerElemIsLayersOverLimit = "merge_elem_layer_over_limit";
static const char* kTIMMergerElemRelayPbKey = "merge_elem_relay_pb_key";
static const char* kTIMMergerElemRelayJsonKey = "merge_elem_relay_json_key";
static const char* kTIMMergerElemRelayBuffer = "merge_elem_relay_buffer";

/* MessageReceipt */
static const char* kTIMMsgReceiptConvId = "msg_receipt_conv_id";
static const char* kTIMMsgReceiptConvType = "msg_receipt_conv_type";
static const char* kTIMMsgReceiptMsgId = "msg_receipt_msg_id";
static const char* kTIMMsgReceiptTimeStamp = "msg_receipt_time_stamp";
static const char* kTIMMsgReceiptIsPeerRead = "msg_receipt_is_peer_read";
static const char* kTIMMsgReceiptReadCount = "msg_receipt_read_count";
static const char* kTIMMsgReceiptUnreadCount = "msg_receipt_unread_count";

/* MsgLocator */
static const char* kTIMMsgLocatorConvId = "message_locator_conv_id";
static const char* kTIMMsgLocatorConvType = "message_locator_conv_type";
static const char* kTIMMsgLocatorIsRevoked = "message_locator_is_revoked";
static const char* kTIMMsgLocatorTime = "message_locator_time";
static const char* kTIMMsgLocatorSeq = "message_locator_seq";
static const char* kTIMMsgLocatorIsSelf = "message_locator_is_self";
static const char* kTIMMsgLocatorRand = "message_locator_rand";
static const char* kTIMMsgLocatorUniqueId = "message_locator_unique_id";

/* MsgGetMsgListParam (TIMMsgGetMsgList) */
static const char* kTIMMsgGetMsgListParamLastMsg = "msg_getmsglist_param_last_msg";
static const char* kTIMMsgGetMsgListParamCount = "msg_getmsglist_param_count";
static const char* kTIMMsgGetMsgListParamIsRamble = "msg_getmsglist_param_is_ramble";
static const char* kTIMMsgGetMsgListParamIsForward = "msg_getmsglist_param_is_forward";
static const char* kTIMMsgGetMsgListParamLastMsgSeq = "msg_getmsglist_param_last_msg_seq";
static const char* kTIMMsgGetMsgListParamTimeBegin = "msg_getmsglist_param_time_begin";
static const char* kTIMMsgGetMsgListParamTimePeriod = "msg_getmsglist_param_time_period";
static const char* kTIMMsgGetMsgListParamMessageSeqArray = "msg_getmsglist_param_message_seq_array";
static const char* kTIMMsgGetMsgListMessageTypeArray = "msg_getmsglist_param_message_type_array";

/* MsgDeleteParam (TIMMsgDelete) */
static const char* kTIMMsgDeleteParamMsg = "msg_delete_param_msg";
static const char* kTIMMsgDeleteParamIsRamble = "msg_delete_param_is_ramble";

/* BatchSendParam / BatchSendResult (TIMMsgBatchSend) */
static const char* kTIMMsgBatchSendParamIdentifierArray = "msg_batch_send_param_identifier_array";
static const char* kTIMMsgBatchSendParamMsg = "msg_batch_send_param_msg";
static const char* kTIMMsgBatchSendResultIdentifier = "msg_batch_send_result_identifier";
static const char* kTIMMsgBatchSendResultCode = "msg_batch_send_result_code";
static const char* kTIMMsgBatchSendResultDesc = "msg_batch_send_result_desc";
static const char* kTIMMsgBatchSendResultMsg = "msg_batch_send_result_msg";

/* How the keywords of a search combine (msg_search_param_keyword_list_match_type). */
enum TIMKeywordListMatchType {
    TIMKeywordListMatchType_Or = 0,
    TIMKeywordListMatchType_And = 1,
};

/* MessageSearchParam (TIMMsgSearchLocalMessages) */
static const char* kTIMMsgSearchParamKeywordArray = "msg_search_param_keyword_array";
static const char* kTIMMsgSearchParamMessageTypeArray = "msg_search_param_message_type_array";
static const char* kTIMMsgSearchParamConvId = "msg_search_param_conv_id";
static const char* kTIMMsgSearchParamConvType = "msg_search_param_conv_type";
static const char* kTIMMsgSearchParamSearchTimePosition = "msg_search_param_search_time_position";
static const char* kTIMMsgSearchParamSearchTimePeriod = "msg_search_param_search_time_period";
static const char* kTIMMsgSearchParamPageIndex = "msg_search_param_page_index";
static const char* kTIMMsgSearchParamPageSize = "msg_search_param_page_size";
static const char* kTIMMsgSearchParamKeywordListMatchType = "msg_search_param_keyword_list_match_type";
static const char* kTIMMsgSearchParamSenderIdentifierArray = "msg_search_param_send_indentifier_array";

/* MessageSearchResultItem / MessageSearchResult */
static const char* kTIMMsgSearchResultItemConvId = "msg_search_result_item_conv_id";
static const char* kTIMMsgSearchResultItemConvType = "msg_search_result_item_conv_type";
static const char* kTIMMsgSearchResultItemTotalMessageCount = "msg_search_result_item_total_message_count";
static const char* kTIMMsgSearchResultItemMessageArray = "msg_search_result_item_message_array";
static const char* kTIMMsgSearchResultTotalCount = "msg_search_result_total_count";
static const char* kTIMMsgSearchResultItemArray = "msg_search_result_item_array";

#pragma GCC diagnostic pop

/* ---- Functions ---------------------------------------------------------- */

/* Sends json_msg_param (a Message) to conv_id (peer user ID or group ID).
 * message_id_buffer (>= 128 bytes, or NULL) receives the new message_msg_id
 * before the call returns. cb gets the sent Message object. */
TIM_API int TIMMsgSendMessage(const char* conv_id, enum TIMConvType conv_type, const char* json_msg_param, char* message_id_buffer, TIMCommCallback cb, const void* user_data);
/* Older form of TIMMsgSendMessage without the ID buffer. */
TIM_API int TIMMsgSendNewMsg(const char* conv_id, enum TIMConvType conv_type, const char* json_msg_param, TIMCommCallback cb, const void* user_data);
/* History page from the local store; json_get_msg_param is
 * MsgGetMsgListParam. cb gets an array of Message: older messages newest
 * first, or (is_forward) newer messages oldest first. */
TIM_API int TIMMsgGetMsgList(const char* conv_id, enum TIMConvType conv_type, const char* json_get_msg_param, TIMCommCallback cb, const void* user_data);
/* History and lookup on the local store (api_message_history.cc). */
/* json_message_id_array: message IDs. cb gets an array of the Messages found
 * (unknown IDs are left out). */
TIM_API int TIMMsgFindMessages(const char* json_message_id_array, TIMCommCallback cb, const void* user_data);
/* json_msg_Locator_array: MsgLocators of conv_id. cb gets an array of the
 * Messages found. */
TIM_API int TIMMsgFindByMsgLocatorList(const char* conv_id, enum TIMConvType conv_type, const char* json_msg_Locator_array, TIMCommCallback cb, const void* user_data);
/* Deletes one message locally: json_msgdel_param is MsgDeleteParam. cb gets
 * ""; 7011 for a message that is not stored in conv_id. */
TIM_API int TIMMsgDelete(const char* conv_id, enum TIMConvType conv_type, const char* json_msgdel_param, TIMCommCallback cb, const void* user_data);
/* Deletes up to 50 Messages of conv_id locally (all or none). cb gets "". */
TIM_API int TIMMsgListDelete(const char* conv_id, enum TIMConvType conv_type, const char* json_msg_array, TIMCommCallback cb, const void* user_data);
/* Deletes every message of conv_id locally. cb gets "". */
TIM_API int TIMMsgClearHistoryMessage(const char* conv_id, enum TIMConvType conv_type, TIMCommCallback cb, const void* user_data);
/* Sets message_custom_int / message_custom_str of the stored Message
 * json_msg_param names (message_msg_id): local only. cb gets "". */
TIM_API int TIMMsgSetLocalCustomData(const char* json_msg_param, TIMCommCallback cb, const void* user_data);
/* Full-text search of the local store; json_search_message_param is
 * MessageSearchParam. cb gets a MessageSearchResult. */
TIM_API int TIMMsgSearchLocalMessages(const char* json_search_message_param, TIMCommCallback cb, const void* user_data);
/* Stores json_msg_param (a Message from the login) in conv_id without
 * sending it (status kTIMMsg_LocalImported). cb gets the stored Message. */
TIM_API int TIMMsgSaveMsg(const char* conv_id, enum TIMConvType conv_type, const char* json_msg_param, TIMCommCallback cb, const void* user_data);
/* Stores up to 100 Messages (message_is_from_self, message_server_time,
 * message_msg_id kept) in conv_id without sending them. cb gets "". */
TIM_API int TIMMsgImportMsgList(const char* conv_id, enum TIMConvType conv_type, const char* json_msg_array, TIMCommCallback cb, const void* user_data);
/* Sends msg_batch_send_param_msg to every user of
 * msg_batch_send_param_identifier_array. cb gets an array of BatchSendResult. */
TIM_API int TIMMsgBatchSend(const char* json_batch_send_param, TIMCommCallback cb, const void* user_data);
/* Marks the conversation read up to the Message json_msg_param (NULL or "":
 * its newest message); conv_id NULL or "": every conversation of conv_type.
 * The peer gets a read marker. cb gets "". */
TIM_API int TIMMsgReportReaded(const char* conv_id, enum TIMConvType conv_type, const char* json_msg_param, TIMCommCallback cb, const void* user_data);
/* json_msg_array: Messages of one conversation, now read (as ReportReaded
 * up to the newest of them). cb gets "". */
TIM_API int TIMMsgSendMessageReadReceipts(const char* json_msg_array, TIMCommCallback cb, const void* user_data);
/* cb gets an array of MessageReceipt: per own C2C message, whether the peer read it. */
TIM_API int TIMMsgGetMessageReadReceipts(const char* json_msg_array, TIMCommCallback cb, const void* user_data);
/* "To be deprecated" in TIM. Every conversation read (as TIMMsgReportReaded
 * with conv_id NULL): unread counts become 0, ConvEvent Update, peers get
 * read markers. cb gets "". */
TIM_API int TIMMsgMarkAllMessageAsRead(TIMCommCallback cb, const void* user_data);
/* Revokes an own sent message of conv_id; json_msg_param is the Message as
 * sent or received (its message_msg_id names it). cb gets "" on success;
 * 6223 (ERR_REVOKE_TIME_LIMIT_EXCEED) once the revoke time limit passed,
 * 7013 for someone else's message, 7011 for an unknown one. Every app,
 * this one included, then gets TIMMsgRevokeCallback. */
TIM_API int TIMMsgRevoke(const char* conv_id, enum TIMConvType conv_type, const char* json_msg_param, TIMCommCallback cb, const void* user_data);
/* Replaces the elements and message_cloud_custom_str of an own sent message;
 * json_msg_param is the whole Message with message_msg_id, message_conv_id
 * and message_conv_type. cb gets the updated Message on success ("" on a
 * failure; 8006 while another modification of it is under way). Both sides
 * then get TIMMsgUpdateCallback. */
TIM_API int TIMMsgModifyMessage(const char* json_msg_param, TIMCommCallback cb, const void* user_data);
/* Cancels an own message that is still in the outbox (accepted by
 * TIMMsgSendMessage, not yet handed to the server: offline, or its files
 * still uploading); its upload stops and it is never sent, also after a
 * restart. Its message_status becomes kTIMMsg_Cancel (7) and its pending
 * TIMMsgSendMessage callback gets 8021 (ERR_SDK_SEND_MESSAGE_FAILED_WITH_CANCEL).
 * cb gets "" on success; 8020 (ERR_SDK_INVALID_CANCEL_MESSAGE) for a
 * message already sent (or failed), 7011 for an unknown message_id, 7013
 * for someone else's. */
TIM_API int TIMMsgCancelSend(const char* conv_id, enum TIMConvType conv_type, const char* message_id,
                             TIMCommCallback cb, const void* user_data);
/* Downloads a file element's bytes to path (an absolute path: the daemon
 * writes it). json_download_elem_param: {msg_download_elem_param_type,
 * msg_download_elem_param_id, msg_download_elem_param_business_id,
 * msg_download_elem_param_url} (the url required: the element's *_url).
 * cb is called repeatedly while it runs, with code 0, desc "downloading"
 * and {msg_download_elem_result_current_size,
 * msg_download_elem_result_total_size}, then once with the final result
 * (0 and "", or 6009 ERR_FILE_TRANS_DOWNLOAD_FAILED and the reason). Progress
 * calls need the event stream, i.e. a login. */
TIM_API int TIMMsgDownloadElemToPath(const char* json_download_elem_param, const char* path, TIMCommCallback cb,
                                     const void* user_data);

/* Adds a new-message listener (several may be added; register before TIMLogin). */
TIM_API void TIMAddRecvNewMsgCallback(TIMRecvNewMsgCallback cb, const void* user_data);
/* Removes the listener added with the same function pointer. */
TIM_API void TIMRemoveRecvNewMsgCallback(TIMRecvNewMsgCallback cb);
TIM_API void TIMSetMsgReadedReceiptCallback(TIMMsgReadedReceiptCallback cb, const void* user_data);
TIM_API void TIMSetMsgRevokeCallback(TIMMsgRevokeCallback cb, const void* user_data);
TIM_API void TIMSetMsgElemUploadProgressCallback(TIMMsgElemUploadProgressCallback cb, const void* user_data);
TIM_API void TIMSetMsgUpdateCallback(TIMMsgUpdateCallback cb, const void* user_data);

#ifdef __cplusplus
}
#endif

#endif /* TIMD_TIM_MESSAGE_MANAGER_H_ */
